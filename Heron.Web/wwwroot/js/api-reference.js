// The API reference at /docs/api is Swagger UI, which draws its page with script and redraws parts of it
// as the reader works. A few of its controls have no name a screen reader can announce (or one that
// differs from what they show); this names them each time they are drawn.
(function () {
    "use strict";

    function nameControls() {
        // The server picker: a select inside an empty label.
        document.querySelectorAll("select#servers:not([aria-label])").forEach(function (select) {
            select.setAttribute("aria-label", "Server");
        });
        // The Authorize dialog's close button shows only a cross.
        document.querySelectorAll("button.close-modal:not([aria-label])").forEach(function (button) {
            button.setAttribute("aria-label", "Close dialog");
        });
        // The Authorize dialog is drawn as plain boxes: make it a dialog named by its heading.
        document.querySelectorAll(".dialog-ux .modal-ux:not([role])").forEach(function (dialog) {
            var heading = dialog.querySelector(".modal-ux-header h3");
            dialog.setAttribute("role", "dialog");
            dialog.setAttribute("aria-modal", "true");
            if (heading) {
                heading.id = heading.id || "authorize-dialog-title";
                dialog.setAttribute("aria-labelledby", heading.id);
            }
        });
        // The dialog's buttons show "Authorize" and "Logout" but are named "Apply credentials" and "Remove
        // authorization": let them be named what they show, as speech input expects.
        document.querySelectorAll("button[aria-label='Apply credentials'], button[aria-label='Remove authorization']").forEach(function (button) {
            button.removeAttribute("aria-label");
        });
    }

    new MutationObserver(nameControls).observe(document.documentElement, { childList: true, subtree: true });
    nameControls();
})();
