// Shown inside the book's page (an iframe), this page tells the book its height whenever
// it changes (a range chosen, the window resized), so that the frame grows to hold it
// rather than scrolling inside the page (book/_static/compendium.js sets the height).
(function () {
  if (window.parent === window) return;
  document.documentElement.classList.add("framed"); // what is for the page alone is hidden
  let told = 0;
  const tell = () => {
    // The lowest bottom of what the page shows (Bokeh's root can overflow the body's box).
    const bottom = Math.max(0, ...Array.from(document.body.children,
      (el) => el.getBoundingClientRect().bottom));
    const height = Math.ceil(bottom + window.scrollY
      + parseFloat(getComputedStyle(document.body).marginBottom || "0"));
    if (height !== told) {
      told = height;
      window.parent.postMessage({ compendiumFrameHeight: height }, "*");
    }
  };
  window.addEventListener("load", tell);
  document.addEventListener("DOMContentLoaded", () => new ResizeObserver(tell).observe(document.body));
})();
