// An interactive page shown in a chapter (iframe.compendium-explorer) says how tall it
// is (datasaveslives/report/js/frame_height.js); its frame takes that height, so the
// page is read without a second scroll bar at any width.
window.addEventListener("message", (event) => {
  const height = event.data && event.data.compendiumFrameHeight;
  if (typeof height !== "number" || !(height > 0)) return;
  // At most 5,000 px: a page that misreports its height cannot make the chapter endless.
  for (const frame of document.querySelectorAll("iframe.compendium-explorer")) {
    if (frame.contentWindow === event.source) frame.style.height = `${Math.min(height, 5000)}px`;
  }
});
