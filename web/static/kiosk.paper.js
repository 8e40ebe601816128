// Paper form entry: typing a digit 0-5 in a criterion box moves to the
// next box; Enter saves (the browser's own form submission). Without this
// script the screen works the same with Tab.
(function () {
  'use strict';
  const boxes = Array.from(document.querySelectorAll('form.paper input.digit'));
  boxes.forEach((box, i) => {
    box.addEventListener('focus', () => box.select());
    box.addEventListener('input', () => {
      const v = box.value.trim();
      if (/^[0-5]$/.test(v)) {
        const next = boxes[i + 1] || document.getElementById('comment');
        if (next) next.focus();
      } else if (v !== '') {
        box.value = '';
      }
    });
  });
})();
