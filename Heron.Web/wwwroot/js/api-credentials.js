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

  createForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    createError.textContent = "";
    const openedBy = document.activeElement?.id || "create-key";
    const button = document.getElementById("create-key");
    button.disabled = true;
    try {
      const response = await fetch(createForm.action, { method: "POST", body: new FormData(createForm), cache: "no-store", credentials: "same-origin" });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        createError.textContent = body.error || "The key could not be created. Try again.";
        return;
      }
      tokenInput.value = body.token;
      curl.textContent = `curl "${baseUrl}/api/hello_world/authenticated" \\\n  --header 'x-api-key: ${body.token}'`;
      sessionStorage.setItem(openerKey, openedBy);
      tokenDialog.showModal();
      tokenInput.select();
    } finally {
      button.disabled = false;
    }
  });

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
