// Buttons marked data-action="print" open the browser's print dialog (no inline scripts).
for (const button of document.querySelectorAll('[data-action="print"]')) {
  button.addEventListener('click', () => window.print());
}
