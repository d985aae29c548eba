// The brushed weeks' posts by type, most active accounts and weekly correlation, computed
// from the page's embedded aggregates (analysis/week_ranges.py: the same rules, tested).
// Bokeh runs this with `source`, the weekly bars, and `first_week` and `last_week`, the
// lists that choose a range by keyboard (kept showing the range); it fills #range-summary.
const out = document.getElementById("range-summary");
const data = JSON.parse(document.getElementById("compendium-weeks").textContent);
const months = ["January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December"];
const day = (iso, plus) => {
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + plus);
  return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};
const number = (n) => n.toLocaleString("en-GB");
const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const n = data.weeks.length;
const chosen = source.selected.indices;
const lo = chosen.length ? Math.min(...chosen) : 0;
const hi = chosen.length ? Math.max(...chosen) : n - 1;
const rows = [];
let html = "";
if (n === 0) {
  html = "<p>No weeks in this window.</p>";
} else {
  const totals = {};
  for (const t of Object.keys(data.counts)) {
    totals[t] = data.counts[t].slice(lo, hi + 1).reduce((a, b) => a + b, 0);
  }
  const originals = totals.original + totals.quote;
  const total = Object.values(totals).reduce((a, b) => a + b, 0);
  const first = data.weeks[lo], last = data.weeks[hi];
  const span = first === last ? `week ${first}` : `weeks ${first}–${last}`;
  const ends = `${day(data.week_start[lo], 0)} to ${day(data.week_start[hi], data.days[hi] - 1)}`;
  html += `<p class="range-heading" data-first="${first}" data-last="${last}">`;
  html += `<strong>${chosen.length ? "Selected" : "The whole window"}: ${span}</strong>`;
  html += ` (${ends}).</p><div class="range-parts"><section><table class="range-totals"><tbody>`;
  for (const t of Object.keys(data.counts)) {
    html += `<tr data-key="${t}" data-value="${totals[t]}"><th>${data.type_labels[t]}</th>`;
    html += `<td>${number(totals[t])}</td></tr>`;
  }
  html += `<tr data-key="originals" data-value="${originals}"><th>Originals (text and quotes)`;
  html += `</th><td>${number(originals)}</td></tr>`;
  html += `<tr data-key="total" data-value="${total}"><th>All posts</th>`;
  html += `<td>${number(total)}</td></tr></tbody></table></section><section>`;
  // The most active accounts: most posts first, then by label (as Python sorts them).
  const posts = new Map();
  for (const [account, week, count] of data.activity) {
    if (week >= first && week <= last) posts.set(account, (posts.get(account) || 0) + count);
  }
  const ranked = Array.from(posts).sort((a, b) => b[1] - a[1]
    || (data.labels[a[0]] < data.labels[b[0]] ? -1 : data.labels[a[0]] > data.labels[b[0]] ? 1 : 0));
  const top = ranked.slice(0, data.top);
  html += `<p><strong>Most active accounts</strong> (posts in these weeks)</p>`;
  if (top.length === 0) {
    html += `<p class="range-top-none">None: no account posted in these weeks.</p>`;
  } else {
    html += `<ol class="range-top">`;
    for (const [account, count] of top) {
      html += `<li data-label="${escape(data.labels[account])}" data-posts="${count}">`;
      html += `${escape(data.labels[account])} (${number(count)})</li>`;
    }
    html += `</ol>`;
  }
  html += `</section><section>`;
  // Pearson's r of the weekly originals with the weekly shares: three weeks or more,
  // both counts varying (frequency.correlation's rule).
  const x = [], y = [];
  for (let i = lo; i <= hi; i++) {
    x.push(data.counts.original[i] + data.counts.quote[i]);
    y.push(data.counts.retweet[i]);
  }
  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  const weeks = x.length === 1 ? "1 week" : `${x.length} weeks`;
  html += `<p class="range-r" data-n="${x.length}" `;
  if (x.length < 3) {
    html += `data-r=""><strong>Weekly originals vs ${data.share_label}</strong><br>Pearson's r`;
    html += ` is undefined over ${weeks}: it needs three weeks or more.</p>`;
  } else if (sxx === 0 || syy === 0) {
    html += `data-r=""><strong>Weekly originals vs ${data.share_label}</strong><br>Pearson's r`;
    html += ` is undefined over ${weeks}: ${sxx === 0 ? "the originals" : `the ${data.share_label}`}`;
    html += ` do not vary from week to week.</p>`;
  } else {
    const r = sxy / Math.sqrt(sxx * syy);
    html += `data-r="${r}"><strong>Weekly originals vs ${data.share_label}</strong><br>`;
    html += `Pearson's r = `;
    html += `${r.toFixed(3).replace("-", "−")} over ${weeks}.</p>`;
  }
  html += `</section></div>`;
}
out.innerHTML = html;
if (n > 0) {
  first_week.value = String(lo);
  last_week.value = String(hi);
}
