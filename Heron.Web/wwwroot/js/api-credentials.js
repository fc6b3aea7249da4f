// Settings → API Credentials. The new token travels once, as JSON, into the dialog; closing the dialog
// wipes it and reloads the list, so it is never in the page source, the history, or storage.
(() => {
  const script = document.currentScript;
  const baseUrl = script.dataset.baseUrl;
  const createForm = document.getElementById("create-key-form");
  const createError = document.getElementById("create-error");
  const tokenDialog = document.getElementById("token-dialog");
  const tokenInput = document.getElementById("new-token");
  const curl = document.getElementById("curl-example");
  const copyButton = document.getElementById("copy-token");
  const copyStatus = document.getElementById("copy-status");
  // Closing the dialog reloads the page; focus then goes back to what opened the dialog, as it would
  // without the reload. Only an element id is kept, never anything of the token.
  const openerKey = "heron.token-dialog-opener";
  const opener = document.getElementById(sessionStorage.getItem(openerKey) || "");
  sessionStorage.removeItem(openerKey);
  opener?.focus();

  // Posts a form whose answer is a token; the form keeps what was typed, and each problem shows beside its field.
  const issue = (form, button, errorLine) => form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorLine.textContent = "";
    form.querySelectorAll(".field-error[data-field]").forEach((span) => { span.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((input) => input.removeAttribute("aria-invalid"));
    const openedBy = document.activeElement?.id || "create-key";
    button.disabled = true;
    try {
      const response = await fetch(form.action, { method: "POST", body: new FormData(form), cache: "no-store", credentials: "same-origin" });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        errorLine.textContent = body.error || "The key could not be created. Try again.";
        Object.entries(body.fields || {}).forEach(([field, message]) => {
          const span = form.querySelector(`.field-error[data-field="${field}"]`);
          if (span) span.textContent = message;
          const input = form.querySelector(`[name="${field}"]`);
          if (input) input.setAttribute("aria-invalid", "true");
        });
        return;
      }
      if (form.closest("dialog")) form.closest("dialog").close();
      tokenInput.value = body.token;
      curl.textContent = `curl "${baseUrl}/api/hello_world/authenticated" \\\n  --header 'x-api-key: ${body.token}'`;
      sessionStorage.setItem(openerKey, openedBy);
      tokenDialog.showModal();
      tokenInput.select();
    } finally {
      button.disabled = false;
    }
  });
  issue(createForm, document.getElementById("create-key"), createError);

  const rollDialog = document.getElementById("roll-dialog");
  const rollForm = document.getElementById("roll-form");
  if (rollForm) {
    issue(rollForm, document.getElementById("confirm-roll"), document.getElementById("roll-error"));
    document.querySelectorAll("button[data-roll]").forEach((button) => {
      button.addEventListener("click", () => {
        const row = button.closest("tr");
        document.getElementById("roll-key-id").value = button.dataset.roll;
        document.getElementById("roll-key-name").textContent = `“${row.dataset.keyName}” (${row.querySelector(".prefix").textContent})`;
        rollDialog.showModal();
      });
    });
    document.getElementById("cancel-roll").addEventListener("click", () => rollDialog.close());
  }

  copyButton.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(tokenInput.value);
    } catch {
      tokenInput.select();
      document.execCommand("copy");
    }
    copyButton.textContent = "Copied";
    copyStatus.textContent = "The token is on your clipboard.";
  });

  const forgetToken = () => {
    tokenInput.value = "";
    curl.textContent = "";
    copyButton.textContent = "Copy";
    copyStatus.textContent = "";
    window.location.replace(window.location.pathname);
  };
  document.getElementById("close-token-dialog").addEventListener("click", () => tokenDialog.close());
  tokenDialog.addEventListener("close", forgetToken);

  const deleteDialog = document.getElementById("delete-dialog");
  document.querySelectorAll("button[data-delete]").forEach((button) => {
    button.addEventListener("click", () => {
      const row = button.closest("tr");
      document.getElementById("delete-key-id").value = button.dataset.delete;
      document.getElementById("delete-key-name").textContent = `“${row.dataset.keyName}” (${row.querySelector(".prefix").textContent})`;
      deleteDialog.showModal();
    });
  });
  document.getElementById("cancel-delete").addEventListener("click", () => deleteDialog.close());
})();
