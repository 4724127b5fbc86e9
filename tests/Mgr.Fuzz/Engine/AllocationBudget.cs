namespace Mgr.Fuzz.Engine;

/// <summary>The most a target may allocate for one input: <c>Constant + PerInputByte × input length</c>. A decoder that
/// honours its size limits before allocating stays under it whatever the bytes claim.</summary>
internal readonly record struct AllocationBudget(long Constant, int PerInputByte)
{
    /// <summary>Bytes allowed for an input of <paramref name="inputLength"/> bytes.</summary>
    public long For(int inputLength) => Constant + (long)PerInputByte * inputLength;

    public override string ToString() => $"{Constant} B + {PerInputByte} B/input byte";
}
