// Drag and drop for the modules and lessons of a course and the questions of a quiz in the
// trainer's workspace. Dropping posts the new order to the list's data-reorder-url as an
// ordinary form, so the server (which checks permission and the position constraints) renders
// the result; the Move up and Move down buttons stay the keyboard and no-script way to the
// same change.
(function () {
  "use strict";
  var token = document.querySelector("main input[name=csrfmiddlewaretoken]");
  var lists = document.querySelectorAll("ol[data-reorder-url]");
  if (!token || !lists.length) return;
  var hint = document.querySelector(".drag-hint");
  if (hint) hint.hidden = false;

  function submitOrder(list) {
    var ids = [];
    Array.prototype.forEach.call(list.children, function (item) {
      if (item.dataset.id) ids.push(item.dataset.id);
    });
    var form = document.createElement("form");
    form.method = "post";
    form.action = list.dataset.reorderUrl;
    [["csrfmiddlewaretoken", token.value], ["order", ids.join(",")]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  Array.prototype.forEach.call(lists, function (list) {
    var dragged = null;
    Array.prototype.forEach.call(list.children, function (item) {
      if (!item.dataset.id) return;
      item.draggable = true;
      item.addEventListener("dragstart", function (event) {
        event.stopPropagation();
        dragged = item;
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.dataset.id);
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("dragging");
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged.parentNode !== list) return;
        event.preventDefault();
        event.stopPropagation();
      });
      item.addEventListener("drop", function (event) {
        if (!dragged || dragged.parentNode !== list || dragged === item) return;
        event.preventDefault();
        event.stopPropagation();
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? item.nextSibling : item);
        dragged = null;
        submitOrder(list);
      });
    });
  });
})();
