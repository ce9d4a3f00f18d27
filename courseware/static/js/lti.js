// Hand the signed deep-linking response to the platform at once; the button stays for
// browsers without script.
document.querySelectorAll("form[data-autosubmit]").forEach((form) => form.submit());
