// One row of a probability bar list: a label, a bar (decorative: the value says the same) and
// the value. Shared by the probability panel and the compact top three.

/**
 * Make `<li data-testid=…><span.label/><span.track><span.fill/></span><span.value/></li>`.
 * @returns {{ item: HTMLLIElement, name: HTMLSpanElement, fill: HTMLSpanElement, value: HTMLSpanElement }}
 */
export function barRow(testid) {
  const item = document.createElement("li");
  item.dataset.testid = testid;
  const name = document.createElement("span");
  name.className = "label";
  const track = document.createElement("span");
  track.className = "track";
  track.setAttribute("aria-hidden", "true");
  const fill = document.createElement("span");
  fill.className = "fill";
  track.append(fill);
  const value = document.createElement("span");
  value.className = "value";
  item.append(name, track, value);
  return { item, name, fill, value };
}

/** Show `fraction` (0–1) of the bar's track filled (no style write when it is unchanged). */
export function setBar(fill, fraction) {
  // Written as the browser reads it back ("scaleX(0.5)", not "scaleX(0.500)"), so that an
  // unchanged bar compares equal.
  const transform = `scaleX(${Number(fraction.toFixed(3))})`;
  if (fill.style.transform !== transform) fill.style.transform = transform;
}
