// Where the caret is in a text field, and putting it back after the dashboard changed the text.
// The field keeps its selection when a chip click takes the focus away, so it can still be read.

export function selection(id) {
  const field = document.getElementById(id);
  if (!field || typeof field.selectionStart !== "number") return null;
  return [field.selectionStart, field.selectionEnd];
}

export function placeCaret(id, position) {
  const field = document.getElementById(id);
  if (!field) return;
  field.focus();
  field.setSelectionRange(position, position);
}
