// A range of weeks chosen in the two week lists (first_week, last_week: the weeks'
// positions): the weekly bars' selection becomes those weeks, in either order; the whole
// window chosen this way is no selection, as the "Whole window" button makes it.
const a = Number(first_week.value), b = Number(last_week.value);
const lo = Math.min(a, b), hi = Math.max(a, b);
const n = source.data.week.length;
const now = source.selected.indices;
const same = now.length
  ? Math.min(...now) === lo && Math.max(...now) === hi && now.length === hi - lo + 1
  : lo === 0 && hi === n - 1;
if (!same) {
  source.selected.indices = lo === 0 && hi === n - 1
    ? [] : Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}
