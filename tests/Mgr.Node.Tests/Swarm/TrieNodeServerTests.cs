using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Protocol.Messages;
using Mgr.Trie.Crypto;
using Mgr.Trie.Nibbles;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;
using Mgr.Trie.Tries;

namespace Mgr.Node.Tests.Swarm;

public sealed class TrieNodeServerTests : IDisposable
{
    private const int StorageAccount = 7;
    private readonly InMemoryKeyValueStore _store = new();
    private readonly Hash256 _root;
    private readonly Hash256 _storageRoot;

    public TrieNodeServerTests()
    {
        using IWriteBatch batch = _store.BeginBatch();
        var nodes = new TrieNodeStore(_store, batch);
        var storage = new PatriciaTrie(nodes);
        for (int i = 0; i < 300; i++) storage.Set(Key(i).ToArray(), [0x82, 1, (byte)(i + 1)]);
        _storageRoot = storage.Commit();
        var accounts = new PatriciaTrie(nodes);
        for (int i = 0; i < 500; i++)
            accounts.Set(Key(i).ToArray(), new Account((ulong)i, 1, i == StorageAccount ? _storageRoot : Hash256.EmptyTrieRoot, Hash256.EmptyKeccak).Encode());
        _root = accounts.Commit();
        batch.Commit();
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Serves_the_root_and_its_children_each_matching_the_hash_its_parent_names()
    {
        var children = (BranchNode)NodeCodec.Decode(Serve(Set([])).Single().Span);
        var paths = Enumerable.Range(0, 16).Select(nibble => Set([(byte)nibble])).ToArray();

        IReadOnlyList<ReadOnlyMemory<byte>> answer = Serve(paths);

        Assert.Equal(16, answer.Count);
        for (int nibble = 0; nibble < 16; nibble++) Assert.Equal(children.Children[nibble]!.Hash, Keccak256.Compute(answer[nibble].Span));
    }

    [Fact]
    public void Serves_storage_trie_nodes_below_a_full_account_path()
    {
        var set = new TrieNodePathSet(Compact(Nibbles(Key(StorageAccount))), [Compact([]), Compact([3])]);

        IReadOnlyList<ReadOnlyMemory<byte>> answer = Serve(set);

        Assert.Equal(2, answer.Count);
        Assert.Equal(_storageRoot, Keccak256.Compute(answer[0].Span));
        Assert.Equal(((BranchNode)NodeCodec.Decode(answer[0].Span)).Children[3]!.Hash, Keccak256.Compute(answer[1].Span));
    }

    [Fact]
    public void Stops_at_the_first_path_without_a_node_so_the_answer_is_a_prefix_of_the_request()
    {
        byte[] pastTheLeaves = [.. Nibbles(Key(1)).Take(20)];

        IReadOnlyList<ReadOnlyMemory<byte>> answer = Serve(Set([]), Set(pastTheLeaves), Set([]));

        Assert.Single(answer);
        Assert.Equal(_root, Keccak256.Compute(answer[0].Span));
    }

    [Fact]
    public void Answers_nothing_for_an_unknown_root_an_account_without_storage_or_an_absent_account()
    {
        var request = new GetTrieNodes(1, Hash256.MaxValue, [Set([])], 1 << 20);
        var noStorage = new TrieNodePathSet(Compact(Nibbles(Key(StorageAccount + 1))), [Compact([])]);
        var absentAccount = new TrieNodePathSet(Compact(Nibbles(Key(10_000))), [Compact([])]);

        Assert.Empty(TrieNodeServer.Serve(_store, request).Nodes);
        Assert.Empty(Serve(noStorage));
        Assert.Empty(Serve(absentAccount));
    }

    [Fact]
    public void Stops_once_the_byte_budget_is_reached_and_never_exceeds_the_protocol_cap()
    {
        TrieNodePathSet[] paths = [.. Enumerable.Range(0, 16).Select(nibble => Set([(byte)nibble]))];

        TrieNodes small = TrieNodeServer.Serve(_store, new GetTrieNodes(2, _root, paths, 1));
        TrieNodes huge = TrieNodeServer.Serve(_store, new GetTrieNodes(3, _root, paths, ulong.MaxValue));

        Assert.Single(small.Nodes);
        Assert.Equal(2UL, small.RequestId);
        Assert.Equal(16, huge.Nodes.Count);
    }

    [Fact]
    public void The_swarm_server_routes_get_trie_nodes_to_the_store()
    {
        var view = new ServingView(_store, [], _ => false);

        IResponse response = SwarmServer.Serve(view, new GetTrieNodes(9, _root, [Set([])], 1 << 20));

        Assert.Equal(_root, Keccak256.Compute(Assert.IsType<TrieNodes>(response).Nodes.Single().Span));
    }

    private IReadOnlyList<ReadOnlyMemory<byte>> Serve(params TrieNodePathSet[] sets) =>
        TrieNodeServer.Serve(_store, new GetTrieNodes(1, _root, sets, 1 << 20)).Nodes;

    private static TrieNodePathSet Set(byte[] nibbles) => new(Compact(nibbles), []);

    private static byte[] Compact(byte[] nibbles)
    {
        var compact = new byte[HexPrefix.EncodedLength(nibbles.Length)];
        HexPrefix.Encode(nibbles, isLeaf: false, compact);
        return compact;
    }

    private static byte[] Nibbles(Hash256 key) => NibblePath.FromBytes(key.ToArray()).Span.ToArray();

    private static Hash256 Key(int i) => Keccak256.Compute(BitConverter.GetBytes(i));
}
