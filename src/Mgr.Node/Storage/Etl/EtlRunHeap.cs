namespace Mgr.Node.Storage.Etl;

/// <summary>A binary min-heap of run readers ordered by their current key (ties: newer run first), for the k-way merge.</summary>
internal sealed class EtlRunHeap(int capacity)
{
    private readonly EtlRunReader[] _items = new EtlRunReader[capacity];

    public int Count { get; private set; }

    public EtlRunReader Peek() => _items[0];

    public void Push(EtlRunReader reader)
    {
        int i = Count++;
        _items[i] = reader;
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Less(_items[i], _items[parent])) break;
            (_items[i], _items[parent]) = (_items[parent], _items[i]);
            i = parent;
        }
    }

    public EtlRunReader Pop()
    {
        EtlRunReader top = _items[0];
        _items[0] = _items[--Count];
        _items[Count] = null!;
        int i = 0;
        while (true)
        {
            int left = 2 * i + 1, right = left + 1, smallest = i;
            if (left < Count && Less(_items[left], _items[smallest])) smallest = left;
            if (right < Count && Less(_items[right], _items[smallest])) smallest = right;
            if (smallest == i) return top;
            (_items[i], _items[smallest]) = (_items[smallest], _items[i]);
            i = smallest;
        }
    }

    private static bool Less(EtlRunReader a, EtlRunReader b)
    {
        int order = a.Key.SequenceCompareTo(b.Key);
        return order < 0 || (order == 0 && a.Age > b.Age);
    }
}
