// The network explorer's group table: choosing a group (a click, or Enter on a row, or
// "#group=N" in the page's address) highlights exactly its members among the drawn users;
// choosing it again, or "All groups", shows everyone. Bokeh's node source is "nodes".
(function () {
  const FADED = 0.08;
  const nodes = () => {
    const docs = window.Bokeh && Bokeh.documents;
    return docs && docs.length ? docs[0].get_model_by_name("nodes") : null;
  };
  const rows = () => Array.from(document.querySelectorAll("#group-table tbody tr"));
  function choose(group) {
    const source = nodes();
    if (source === null) return false;
    const alpha = source.data.group.map((g) => (group === null || g === group ? 1 : FADED));
    source.data = Object.assign({}, source.data, { alpha: alpha });
    for (const row of rows()) {
      const on = group !== null && Number(row.dataset.group) === group;
      row.classList.toggle("chosen", on);
      row.setAttribute("aria-selected", on ? "true" : "false");
    }
    document.body.dataset.group = group === null ? "" : String(group);
    return true;
  }
  function current() {
    const g = document.body.dataset.group;
    return g ? Number(g) : null;
  }
  function toggle(group) {
    choose(current() === group ? null : group);
  }
  window.compendiumChooseGroup = choose;
  document.addEventListener("DOMContentLoaded", () => {
    for (const row of rows()) {
      const group = Number(row.dataset.group);
      row.addEventListener("click", () => toggle(group));
      row.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(group); }
      });
    }
    const all = document.getElementById("all-groups");
    if (all) all.addEventListener("click", () => choose(null));
    fromAddress();
  });
  // "#group=N" in the address, on opening the page or when it changes.
  function fromAddress() {
    const wanted = /group=(\d+)/.exec(window.location.hash);
    if (wanted) {
      // Bokeh renders its document after the page loads: wait for the node source.
      const start = Date.now();
      const later = () => {
        if (!choose(Number(wanted[1])) && Date.now() - start < 10000) setTimeout(later, 50);
      };
      later();
    }
  }
  window.addEventListener("hashchange", fromAddress);
})();
