// The pay page: the provider's card form (Stripe.js, or localstripe's stand-in in tests) makes a
// token of the card; only the token's card id is posted to us, and we ask the provider to charge it.
// A card that needs authentication (3-D Secure) is confirmed here by the provider's own dialog.
(function () {
  var form = document.getElementById("pay-form");
  if (!form || typeof Stripe === "undefined") { return; }
  var stripe = Stripe(form.dataset.key);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  if (form.dataset.authenticate) {
    stripe.confirmCardPayment(form.dataset.secret).then(function () { window.location.reload(); });
  }
  form.addEventListener("submit", function (event) {
    if (form.querySelector("input[name=card_id]").value) { return; }
    event.preventDefault();
    document.getElementById("pay-button").disabled = true;
    stripe.createToken(card).then(function (result) {
      if (result.error) {
        document.getElementById("pay-button").disabled = false;
        var message = document.getElementById("card-error") || document.createElement("p");
        message.id = "card-error"; message.className = "error"; message.setAttribute("role", "alert");
        message.textContent = result.error.message || "The card could not be read.";
        form.insertBefore(message, form.firstChild);
        return;
      }
      form.querySelector("input[name=card_id]").value = result.token.card.id;
      form.submit();
    });
  });
})();
