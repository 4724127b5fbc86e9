using Mgr.Fuzz.Engine;
using Mgr.Fuzz.Targets.Node;
using Mgr.Fuzz.Targets.Protocol;
using Mgr.Fuzz.Targets.Transport;
using Mgr.Fuzz.Targets.Trie;

namespace Mgr.Fuzz.Targets;

/// <summary>Every fuzz target, by name. Add a decoder that takes outside bytes here.</summary>
internal static class TargetCatalog
{
    public static IReadOnlyList<FuzzTarget> All() =>
    [
        new RlpStructureTarget(), new BlockHeaderTarget(), new AccountTarget(), new GenesisTarget(), new TrieNodeTarget(),
        new MerkleProofTarget(), new RangeProofTarget(), new SubtreeProofTarget(),
        new MessageTarget(), new FrameTarget(), new KeyRangeSetTarget(), new MultiaddrTarget(), new MultiaddrTextTarget(),
        new PublicKeyTarget(), new ProtobufTarget(), new NoisePayloadTarget(), new IdentifyMessageTarget(), new PeerListTarget(),
        new MultistreamListenTarget(), new MultistreamSelectTarget(), new NoiseHandshakeTarget(), new NoiseTransportTarget(),
        new YamuxTarget(), new IdentifyStreamTarget(),
        new EngineApiTarget(), new JwtTarget(), new CheckpointTarget(), new StateDiffTarget(), new StorageValuesTarget(),
        new StateDataVerifierTarget(), new ChunkDiffVerifierTarget(),
    ];

    public static FuzzTarget? Find(string name) => All().FirstOrDefault(target => target.Name == name);
}
