"""Message templates of the demo data, in French and English.

Placeholders: {name} (customer), {order} (order reference), {product}, {carrier},
{tracking}, {agent} (agent's first name), {days}.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    kind: str
    category: str
    subject: dict[str, str]
    opening: dict[str, str]
    about_order: bool = True


TOPICS: tuple[Topic, ...] = (
    Topic(
        "question",
        "order-tracking",
        {"fr": "Où en est ma commande {order} ?", "en": "Where is my order {order}?"},
        {
            "fr": "Bonjour,\n\nJ'ai passé la commande {order} il y a {days} jours et "
            "je n'ai aucune nouvelle. Pouvez-vous me dire où elle en est ?\n\n"
            "Merci,\n{name}",
            "en": "Hello,\n\nI placed order {order} {days} days ago and have heard "
            "nothing since. Could you tell me where it is?\n\nThanks,\n{name}",
        },
    ),
    Topic(
        "question",
        "product-availability",
        {
            "fr": "Disponibilité de « {product} »",
            "en": "Is “{product}” back in stock?",
        },
        {
            "fr": "Bonjour, l'article {product} est indiqué en rupture. Savez-vous "
            "quand il sera de nouveau disponible ? Cordialement, {name}",
            "en": "Hi, {product} shows as out of stock. Do you know when it will be "
            "available again? Kind regards, {name}",
        },
        about_order=False,
    ),
    Topic(
        "question",
        "payment",
        {"fr": "Paiement en plusieurs fois ?", "en": "Can I pay in instalments?"},
        {
            "fr": "Bonjour, est-il possible de régler en trois fois sans frais pour "
            "une commande de plus de 300 € ? Merci. {name}",
            "en": "Hello, can I split the payment of an order over £250 into three "
            "instalments? Thank you. {name}",
        },
        about_order=False,
    ),
    Topic(
        "request",
        "address-change",
        {
            "fr": "Changement d'adresse de livraison – {order}",
            "en": "Change of delivery address – {order}",
        },
        {
            "fr": "Bonjour, je viens de déménager. Pourriez-vous livrer la commande "
            "{order} à ma nouvelle adresse ? Je vous la communique ci-dessous. {name}",
            "en": "Hi, I have just moved house. Could order {order} be delivered to "
            "my new address, given below? {name}",
        },
    ),
    Topic(
        "request",
        "size-exchange",
        {"fr": "Échange de taille – {product}", "en": "Size exchange – {product}"},
        {
            "fr": "Bonjour, le {product} reçu avec la commande {order} est trop "
            "petit. Puis-je l'échanger contre la taille au-dessus ? {name}",
            "en": "Hello, the {product} from order {order} is too small. Can I swap "
            "it for the next size up? {name}",
        },
    ),
    Topic(
        "request",
        "invoice",
        {"fr": "Demande de facture {order}", "en": "Invoice request for {order}"},
        {
            "fr": "Bonjour, pourriez-vous m'envoyer la facture de la commande {order} "
            "au nom de mon entreprise ? Merci d'avance. {name}",
            "en": "Hello, could you send me a VAT invoice for order {order} in my "
            "company's name? Many thanks. {name}",
        },
    ),
    Topic(
        "request",
        "cancellation",
        {"fr": "Annulation de la commande {order}", "en": "Please cancel {order}"},
        {
            "fr": "Bonjour, je souhaite annuler ma commande {order}, passée par "
            "erreur. Merci de me confirmer le remboursement. {name}",
            "en": "Hello, I ordered {order} by mistake and would like to cancel it. "
            "Please confirm the refund. {name}",
        },
    ),
    Topic(
        "complaint",
        "delivery-delay",
        {
            "fr": "Retard de livraison – commande {order}",
            "en": "Late delivery – order {order}",
        },
        {
            "fr": "Bonjour,\n\nLa livraison de ma commande {order} était promise il y "
            "a {days} jours. Le suivi {carrier} ({tracking}) n'a pas bougé depuis. "
            "C'était un cadeau d'anniversaire, je suis très déçu(e).\n\n{name}",
            "en": "Hello,\n\nOrder {order} was promised {days} days ago. The "
            "{carrier} tracking ({tracking}) has not moved since. It was a birthday "
            "present and I am very disappointed.\n\n{name}",
        },
    ),
    Topic(
        "complaint",
        "damaged-item",
        {"fr": "Article reçu abîmé ({order})", "en": "Item arrived damaged ({order})"},
        {
            "fr": "Bonjour, le colis de la commande {order} est arrivé écrasé et le "
            "{product} est cassé. Je joins des photos. Que proposez-vous ? {name}",
            "en": "Hello, the parcel for order {order} arrived crushed and the "
            "{product} is broken. Photos attached. What can you do? {name}",
        },
    ),
    Topic(
        "complaint",
        "missing-item",
        {
            "fr": "Il manque un article dans ma commande {order}",
            "en": "Item missing from order {order}",
        },
        {
            "fr": "Bonjour, j'ai bien reçu la commande {order} mais le {product} "
            "n'était pas dans le colis. Merci de faire le nécessaire. {name}",
            "en": "Hi, order {order} arrived but the {product} was not in the "
            "parcel. Please sort this out. {name}",
        },
    ),
    Topic(
        "complaint",
        "refund-pending",
        {
            "fr": "Remboursement toujours pas reçu – {order}",
            "en": "Still no refund for {order}",
        },
        {
            "fr": "Bonjour, j'ai renvoyé la commande {order} il y a {days} jours et "
            "je n'ai toujours pas été remboursé(e). C'est la troisième fois que "
            "j'écris. {name}",
            "en": "Hello, I returned order {order} {days} days ago and still have "
            "no refund. This is the third time I am writing. {name}",
        },
    ),
    Topic(
        "dispute",
        "chargeback",
        {
            "fr": "Contestation bancaire – commande {order}",
            "en": "Card chargeback – order {order}",
        },
        {
            "fr": "Madame, Monsieur, faute de réponse, j'ai contesté le paiement de "
            "la commande {order} auprès de ma banque. {name}",
            "en": "Dear Sir or Madam, having had no answer, I have disputed the "
            "payment for order {order} with my bank. {name}",
        },
    ),
    Topic(
        "dispute",
        "carrier-dispute",
        {
            "fr": "Colis déclaré livré mais jamais reçu ({order})",
            "en": "Parcel marked delivered but never received ({order})",
        },
        {
            "fr": "Bonjour, {carrier} indique que le colis {tracking} a été livré, "
            "mais je ne l'ai jamais reçu. Je demande un remboursement intégral. {name}",
            "en": "Hello, {carrier} says parcel {tracking} was delivered but I never "
            "got it. I am asking for a full refund. {name}",
        },
    ),
    Topic(
        "dispute",
        "not-as-described",
        {
            "fr": "Produit non conforme à la description – {order}",
            "en": "Product not as described – {order}",
        },
        {
            "fr": "Bonjour, le {product} ne correspond pas du tout à la fiche "
            "produit. Je saisirai le médiateur si aucune solution n'est trouvée. "
            "{name}",
            "en": "Hello, the {product} is nothing like the product page. I will go "
            "to the ombudsman if we cannot find a solution. {name}",
        },
    ),
)

REPLIES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Bonjour {name},\n\nMerci pour votre message. Je regarde votre dossier et "
        "reviens vers vous dans la journée.\n\n{agent}, service client",
        "Bonjour {name},\n\nJe suis désolé(e) pour ce désagrément. J'ai relancé "
        "{carrier} et je vous tiens informé(e) dès que j'ai leur réponse.\n\n{agent}",
        "Bonjour {name},\n\nBonne nouvelle : le nécessaire est fait, vous recevrez "
        "une confirmation par e-mail sous 48 heures.\n\nBelle journée,\n{agent}",
        "Bonjour {name},\n\nPour traiter votre demande, pourriez-vous m'envoyer une "
        "photo de l'étiquette du colis ?\n\nMerci,\n{agent}",
        "Bonjour {name},\n\nVotre remboursement a été validé ; il apparaîtra sur "
        "votre compte sous 3 à 5 jours ouvrés.\n\n{agent}",
    ),
    "en": (
        "Hello {name},\n\nThank you for your message. I am looking into it and will "
        "get back to you today.\n\n{agent}, customer care",
        "Hello {name},\n\nI am sorry about this. I have chased {carrier} and will "
        "update you as soon as I hear back.\n\n{agent}",
        "Hello {name},\n\nGood news: it is sorted, and you will get an email "
        "confirmation within 48 hours.\n\nBest wishes,\n{agent}",
        "Hello {name},\n\nCould you send me a photo of the parcel label so I can "
        "process your request?\n\nThanks,\n{agent}",
        "Hello {name},\n\nYour refund has been approved; it will reach your account "
        "within 3 to 5 working days.\n\n{agent}",
    ),
}

FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Merci pour votre retour rapide.",
        "Voici la photo demandée.",
        "Toujours rien reçu à ce jour, pouvez-vous vérifier ?",
        "Parfait, merci beaucoup pour votre aide !",
        "Je ne suis pas satisfait(e) de cette réponse.",
    ),
    "en": (
        "Thanks for the quick reply.",
        "Here is the photo you asked for.",
        "Still nothing received, could you check again?",
        "Perfect, thank you so much for your help!",
        "I am not happy with this answer.",
    ),
}

NOTES = (
    "Client fidèle, geste commercial possible (bon de 10 €).",
    "Relance transporteur faite, réponse attendue sous 48 h.",
    "Vérifié en entrepôt : colis parti complet.",
    "Deuxième contact sur le même sujet, à surveiller.",
    "Remboursement validé par le superviseur.",
)

CALL_SUMMARIES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Appel entrant : le client demande où en est son colis.",
        "Rappel du client, messagerie, message laissé.",
        "Appel : solution acceptée par le client.",
    ),
    "en": (
        "Inbound call: the customer asked about the parcel.",
        "Called back, voicemail, left a message.",
        "Call: the customer accepted the proposed solution.",
    ),
}

REVIEWS: dict[str, tuple[str, ...]] = {
    "fr": (
        "★★★★★ Livraison rapide et produit conforme, je recommande.",
        "★★☆☆☆ Produit correct mais service client difficile à joindre.",
        "★★★★☆ Bon rapport qualité-prix.",
    ),
    "en": (
        "★★★★★ Fast delivery and exactly as described.",
        "★★☆☆☆ Product fine but customer service hard to reach.",
        "★★★★☆ Good value for money.",
    ),
}

PRODUCTS = (
    "Pull en laine mérinos",
    "Jean coupe droite",
    "Veste imperméable",
    "Baskets en cuir",
    "Sac à dos 20 L",
    "Écharpe en cachemire",
    "Chemise en lin",
    "Robe portefeuille",
    "Bottines en daim",
    "Parka matelassée",
    "T-shirt coton bio",
    "Lampe de bureau LED",
    "Théière en fonte",
    "Plaid en laine",
    "Casque audio sans fil",
    "Montre connectée",
    "Cafetière italienne",
    "Coussin en velours",
    "Gourde isotherme",
    "Parapluie pliant",
)
CARRIERS = ("Colissimo", "Chronopost", "DPD", "Mondial Relay", "UPS", "GLS")
FACTS: dict[str, tuple[str, ...]] = {
    "size": ("Taille M", "Taille L", "Pointure 39", "Pointure 43", "Taille 38"),
    "preference": (
        "Préfère être contacté(e) le matin",
        "Préfère le point relais",
        "N'aime pas les appels",
        "Emballage cadeau systématique",
    ),
    "family": ("Deux enfants", "Marié(e)", "Un chien", "Grand-parent"),
}
CONSENT_SOURCES = ("site web", "centre d'appels", "magasin", "application mobile")
