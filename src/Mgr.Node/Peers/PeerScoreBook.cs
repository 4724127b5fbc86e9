using Mgr.Node.Swarm;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Peers;

/// <summary>Penalty scores and bans per peer, with decay over time (spec/mgr-protocol.md §7). A fatal violation bans
/// at once; minor and serious ones add to a score that decays, and reaching the threshold bans.</summary>
/// <remarks>Not thread-safe: owned by the engine's loop. Bounded: past <see cref="MaxTrackedPeers"/> entries, peers whose
/// score has decayed to 0 and whose ban has ended are forgotten (a stream of fresh identities cannot grow it).</remarks>
public sealed class PeerScoreBook(IClock clock, PenaltyPolicy policy)
{
    /// <summary>Peers tracked before forgotten ones are swept.</summary>
    public const int MaxTrackedPeers = 4096;

    private readonly Dictionary<PeerHandle, (double Score, TimeSpan At)> _scores = [];
    private readonly Dictionary<PeerHandle, TimeSpan> _bannedUntil = [];
    private readonly Dictionary<PeerHandle, int> _penalties = [];

    /// <summary>The policy in force.</summary>
    public PenaltyPolicy Policy => policy;

    /// <summary>Adds the score of <paramref name="penalty"/>; true when the peer is now banned.</summary>
    public bool Penalize(PeerHandle peer, Penalty penalty)
    {
        TimeSpan now = clock.Now;
        if (!_penalties.ContainsKey(peer) && _penalties.Count >= MaxTrackedPeers) Sweep(now);
        _penalties[peer] = _penalties.GetValueOrDefault(peer) + 1;
        if (penalty == Penalty.Fatal)
        {
            Ban(peer, now);
            return true;
        }
        double score = ScoreOf(peer, now) + (penalty == Penalty.Serious ? policy.SeriousScore : policy.MinorScore);
        _scores[peer] = (score, now);
        if (score < policy.BanScore) return false;
        Ban(peer, now);
        return true;
    }

    /// <summary>The peer's current (decayed) score.</summary>
    public double Score(PeerHandle peer) => ScoreOf(peer, clock.Now);

    /// <summary>Peers with a penalty record.</summary>
    public int TrackedPeers => _penalties.Count;

    /// <summary>How many penalties the peer has received (never decays; forgotten with the peer, see remarks).</summary>
    public int PenaltyCount(PeerHandle peer) => _penalties.GetValueOrDefault(peer);

    /// <summary>True while the peer is banned.</summary>
    public bool IsBanned(PeerHandle peer) => _bannedUntil.TryGetValue(peer, out TimeSpan until) && clock.Now < until;

    private void Ban(PeerHandle peer, TimeSpan now)
    {
        _bannedUntil[peer] = now + policy.BanDuration;
        _scores.Remove(peer);
    }

    // Forgets every peer with no score left and no ban running.
    private void Sweep(TimeSpan now)
    {
        foreach (PeerHandle peer in _penalties.Keys.ToList())
        {
            bool banned = _bannedUntil.TryGetValue(peer, out TimeSpan until) && now < until;
            if (banned || ScoreOf(peer, now) > 0) continue;
            _penalties.Remove(peer);
            _scores.Remove(peer);
            _bannedUntil.Remove(peer);
        }
    }

    private double ScoreOf(PeerHandle peer, TimeSpan now)
    {
        if (!_scores.TryGetValue(peer, out (double Score, TimeSpan At) entry)) return 0;
        return Math.Max(0, entry.Score - (now - entry.At).TotalMinutes * policy.DecayPerMinute);
    }
}
