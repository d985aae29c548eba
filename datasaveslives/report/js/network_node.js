// A clicked user of the network explorer: its label (an allowlisted name or a pseudonym),
// group, degree and centrality, shown in #node-info. Bokeh runs this with `source`.
const info = document.getElementById("node-info");
const chosen = source.selected.indices;
const escape = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
if (chosen.length === 0) {
  info.innerHTML = "Click a user to see their label, group and centrality.";
} else {
  const i = chosen[0];
  const d = source.data;
  info.innerHTML = `<span class="node-label" data-label="${escape(d.label[i])}">`
    + `<strong>${escape(d.label[i])}</strong></span>: group `
    + `<span class="node-group" data-group="${d.group[i]}">${d.group[i]}</span>, degree `
    + `<span class="node-degree">${d.degree[i]}</span>, eigenvector centrality `
    + `<span class="node-centrality" data-value="${d.centrality[i]}">`
    + `${Number(d.centrality[i]).toFixed(2)}</span>.`;
}
