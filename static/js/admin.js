// Names for the widgets Django's admin scripts build after the page loads (issue 16, axe rules
// aria-input-field-name and aria-prohibited-attr): select2's combobox gets its field's label, and the
// SelectFilter's help icons (spans with an aria-label) become images.
window.addEventListener("load", () => {
  setTimeout(() => {
    document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const label = document.querySelector(`label[for="${select.id}"]`);
      const name = label ? label.textContent.replace(/\s*:\s*$/, "").trim() : select.name;
      select.parentElement.querySelectorAll(".select2-selection[role=combobox]").forEach((box) => {
        box.setAttribute("aria-label", name);
        box.removeAttribute("aria-labelledby");
      });
      select.parentElement.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach((shown) => {
        shown.setAttribute("aria-label", name);
      });
    });
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach((icon) => icon.setAttribute("role", "img"));
  }, 0);
});
