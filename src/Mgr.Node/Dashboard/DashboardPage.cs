namespace Mgr.Node.Dashboard;

/// <summary>The dashboard's single page: inline CSS, JavaScript and SVG, no external assets. It polls
/// <c>/api/status</c> every second and draws the merry-go-round — the keyspace as a ring (0x00… at the top, clockwise),
/// this node's coverage on the outer track, one inner track per peer, the ride's chunk as a marker — plus stage bars,
/// rates and a peers table. Elements the tests read carry ids (<c>ring</c>, <c>coverage</c>, <c>peers</c>,
/// <c>polls</c>).</summary>
internal static class DashboardPage
{
    public const string Html = """
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MgrSync dashboard</title>
<style>
  :root { --bg:#0f1419; --panel:#182029; --text:#d8dee6; --dim:#8a96a3; --self:#3fb950; --seeder:#58a6ff; --leecher:#d29922; --ride:#f85149; --track:#26313c; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--text); }
  header { padding: 12px 20px; background: var(--panel); display: flex; gap: 18px; flex-wrap: wrap; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0; }
  .badge { padding: 2px 8px; border-radius: 10px; background: var(--track); font-size: 12px; }
  .badge.seeder { background: var(--seeder); color: #08111b; } .badge.leecher { background: var(--leecher); color: #1b1303; }
  .badge.synced { background: var(--self); color: #04130a; }
  main { display: grid; grid-template-columns: minmax(320px, 440px) 1fr; gap: 20px; padding: 20px; }
  section { background: var(--panel); border-radius: 8px; padding: 14px; }
  h2 { font-size: 14px; margin: 0 0 10px; color: var(--dim); font-weight: 600; text-transform: uppercase; letter-spacing: .05em; }
  #ring { width: 100%; height: auto; display: block; }
  .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12px; }
  .stat { display: grid; grid-template-columns: 140px 1fr; gap: 4px 10px; }
  .stat dt { color: var(--dim); } .stat dd { margin: 0; }
  .bar { height: 10px; background: var(--track); border-radius: 5px; overflow: hidden; margin: 3px 0 10px; }
  .bar > div { height: 100%; background: var(--self); width: 0; transition: width .5s; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--track); }
  th { color: var(--dim); font-weight: 600; } td.num, th.num { text-align: right; }
  .legend span { margin-right: 14px; } .sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
  #error { color: var(--ride); }
</style>
</head>
<body>
<header>
  <h1>MgrSync</h1>
  <span id="peer-id" class="mono">connecting…</span>
  <span id="role" class="badge">?</span>
  <span id="network" class="badge">network ?</span>
  <span id="synced" class="badge">syncing</span>
  <span id="error"></span>
</header>
<main>
  <section>
    <h2>Merry-go-round</h2>
    <svg id="ring" viewBox="0 0 400 400" role="img" aria-label="keyspace ring">
      <circle cx="200" cy="200" r="170" fill="none" stroke="#26313c" stroke-width="22"/>
      <g id="self-arcs"></g>
      <g id="peer-arcs"></g>
      <g id="ride"></g>
      <text x="200" y="24" text-anchor="middle" fill="#8a96a3" font-size="10">0x00…</text>
      <text id="ring-coverage" x="200" y="196" text-anchor="middle" fill="#d8dee6" font-size="34">0%</text>
      <text id="ring-epoch" x="200" y="222" text-anchor="middle" fill="#8a96a3" font-size="12">epoch ?</text>
    </svg>
    <div class="legend"><span><i class="sw" style="background:var(--self)"></i>this node</span><span><i class="sw" style="background:var(--seeder)"></i>seeder</span><span><i class="sw" style="background:var(--leecher)"></i>leecher</span><span><i class="sw" style="background:var(--ride)"></i>ride</span></div>
  </section>
  <section>
    <h2>Progress</h2>
    <dl class="stat">
      <dt>Coverage</dt><dd id="coverage">?</dd>
      <dt>State root</dt><dd id="root" class="mono">?</dd>
      <dt>Epoch / block</dt><dd id="epoch">?</dd>
      <dt>Download</dt><dd id="rate-in">?</dd>
      <dt>Upload</dt><dd id="rate-out">?</dd>
      <dt>Chunks</dt><dd id="chunks">?</dd>
      <dt>Updates</dt><dd id="polls">0</dd>
    </dl>
    <div id="stages"></div>
    <h2>Peers (<span id="peer-count">0</span>)</h2>
    <table>
      <thead><tr><th>Peer</th><th>Role</th><th class="num">Coverage</th><th class="num">In</th><th class="num">Out</th><th class="num">Penalty</th></tr></thead>
      <tbody id="peers"></tbody>
    </table>
  </section>
</main>
<script>
"use strict";
const NS = "http://www.w3.org/2000/svg", CX = 200, CY = 200, TAU = 2 * Math.PI;
let polls = 0;
function frac(hex) { return parseInt(hex.slice(2, 15), 16) / 4503599627370496; }
function endFrac(hex) { return Math.min(1, frac(hex) + 1 / 4503599627370496); }
function point(f, r) { return [CX + r * Math.sin(TAU * f), CY - r * Math.cos(TAU * f)]; }
function arcPath(f0, f1, r) {
  if (f1 - f0 >= 0.99999) { return `M ${CX} ${CY - r} A ${r} ${r} 0 1 1 ${CX} ${CY + r} A ${r} ${r} 0 1 1 ${CX} ${CY - r}`; }
  const [x0, y0] = point(f0, r), [x1, y1] = point(Math.max(f1, f0 + 0.0005), r);
  return `M ${x0.toFixed(2)} ${y0.toFixed(2)} A ${r} ${r} 0 ${f1 - f0 > 0.5 ? 1 : 0} 1 ${x1.toFixed(2)} ${y1.toFixed(2)}`;
}
function arcs(group, intervals, r, width, color, cls) {
  for (const [s, e] of intervals) {
    const p = document.createElementNS(NS, "path");
    p.setAttribute("d", arcPath(frac(s), endFrac(e), r));
    p.setAttribute("fill", "none"); p.setAttribute("stroke", color); p.setAttribute("stroke-width", width);
    p.setAttribute("class", cls);
    group.appendChild(p);
  }
}
function bytes(n) {
  if (n == null) return "?";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"]; let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n.toFixed(0) : n.toFixed(n >= 100 ? 0 : n >= 10 ? 1 : 2)) + " " + units[i];
}
function rate(n) { return n == null ? "-" : bytes(n) + "/s"; }
function pct(f) { return (100 * f).toFixed(f >= 0.999995 || f === 0 ? 0 : 2) + "%"; }
function duration(s) {
  if (s == null) return "?"; s = Math.max(0, s);
  if (s < 60) return Math.ceil(s) + "s"; if (s < 3600) return Math.floor(s / 60) + "m" + String(Math.floor(s % 60)).padStart(2, "0") + "s";
  return Math.floor(s / 3600) + "h" + String(Math.floor(s % 3600 / 60)).padStart(2, "0") + "m";
}
function text(id, value) { document.getElementById(id).textContent = value; }
function color(role) { return role === "seeder" ? "var(--seeder)" : "var(--leecher)"; }
function render(s) {
  text("peer-id", s.peerId);
  const role = document.getElementById("role"); role.textContent = s.role; role.className = "badge " + s.role;
  text("network", (s.networkName ?? "network") + " #" + s.networkId);
  const synced = document.getElementById("synced"); synced.textContent = s.synced ? "synced" : "syncing"; synced.className = "badge" + (s.synced ? " synced" : "");
  const self = document.getElementById("self-arcs"); self.replaceChildren();
  arcs(self, s.coverage.intervals, 170, 22, "var(--self)", "arc-self");
  const peers = document.getElementById("peer-arcs"); peers.replaceChildren();
  const shown = s.peers.slice(0, 12), step = shown.length > 0 ? Math.min(12, 110 / shown.length) : 12;
  shown.forEach((p, i) => arcs(peers, p.coverage.intervals, 150 - i * step, Math.max(2, step - 3), color(p.role), "arc-peer"));
  const ride = document.getElementById("ride"); ride.replaceChildren();
  if (s.ride) {
    arcs(ride, [[s.ride.start, s.ride.end]], 186, 8, "var(--ride)", "arc-ride");
    const [x0, y0] = point(frac(s.ride.start), 30), [x1, y1] = point(frac(s.ride.start), 190);
    const line = document.createElementNS(NS, "line");
    line.setAttribute("id", "ride-marker"); line.setAttribute("x1", x0); line.setAttribute("y1", y0); line.setAttribute("x2", x1); line.setAttribute("y2", y1);
    line.setAttribute("stroke", "var(--ride)"); line.setAttribute("stroke-width", 2); line.setAttribute("stroke-dasharray", "4 4");
    ride.appendChild(line);
  }
  text("ring-coverage", pct(s.coverage.fraction));
  text("ring-epoch", s.epoch == null ? "no epoch yet" : "epoch " + s.epoch);
  text("coverage", pct(s.coverage.fraction) + " of the account keyspace in " + s.coverage.intervals.length + (s.coverage.coarse ? "+ (coarse)" : "") + " intervals");
  text("root", s.stateRoot ?? "?");
  text("epoch", (s.epoch ?? "?") + " / " + (s.epochBlock ?? "?"));
  text("rate-in", rate(s.rates.bytesInPerSecond) + " (" + bytes(s.totals.bytesIn) + " total)");
  text("rate-out", rate(s.rates.bytesOutPerSecond) + " (" + bytes(s.totals.bytesOut) + " total)");
  text("chunks", s.totals.chunksVerified + " verified, " + s.totals.chunksDuplicate + " duplicate, " + s.totals.chunksRejected + " rejected"
    + (s.rates.chunksPerSecond == null ? "" : ", " + s.rates.chunksPerSecond.toFixed(1) + "/s"));
  const stages = document.getElementById("stages"); stages.replaceChildren();
  for (const st of s.stages) {
    const label = document.createElement("div");
    label.className = "stage";
    label.textContent = st.name + ": " + Math.round(st.done) + (st.total == null ? "" : " / " + Math.round(st.total)) + " " + st.unit
      + (st.perSecond == null ? "" : ", " + st.perSecond.toFixed(1) + "/s") + (st.total == null ? "" : st.done >= st.total ? ", done" : ", eta " + duration(st.etaSeconds));
    const bar = document.createElement("div"); bar.className = "bar";
    const fill = document.createElement("div"); fill.style.width = (100 * (st.fraction ?? 0)) + "%";
    bar.appendChild(fill); stages.append(label, bar);
  }
  text("peer-count", s.peerCount);
  const rows = document.getElementById("peers"); rows.replaceChildren();
  for (const p of s.peers) {
    const tr = document.createElement("tr");
    for (const [value, cls] of [[p.peerId.length > 20 ? p.peerId.slice(0, 8) + "…" + p.peerId.slice(-8) : p.peerId, "mono"], [p.role, ""],
        [pct(p.coverage.fraction), "num"], [bytes(p.bytesIn), "num"], [bytes(p.bytesOut), "num"], [p.penaltyScore.toFixed(1), "num"]]) {
      const td = document.createElement("td"); td.textContent = value; td.className = cls; tr.appendChild(td);
    }
    tr.title = p.peerId;
    rows.appendChild(tr);
  }
  text("polls", ++polls);
}
async function poll() {
  try {
    const response = await fetch("/api/status", { cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    render(await response.json());
    text("error", "");
  } catch (e) {
    text("error", "node unreachable: " + e.message);
  }
}
poll();
setInterval(poll, 1000);
</script>
</body>
</html>
""";
}
