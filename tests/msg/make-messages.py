#!/usr/bin/env python3
"""Writes the test messages of floss-responder (tests/msg/*.eml).

The messages are committed; this script documents how each one was made
(charsets, transfer encodings, structures) and remakes them byte for byte.
Every person, address and organisation in them is made up.
"""
import base64
import os
import quopri

HERE = os.path.dirname(os.path.abspath(__file__))
AR_PASS = ("Authentication-Results: mx1.numerique.gouv.fr;\r\n"
           "\tdkim=pass header.d={d};\r\n\tdmarc=pass (p=none) header.from={d};\r\n"
           "\tspf=pass smtp.mailfrom=x@{d}\r\n")


def head(frm, subject, d="agence.example.fr", extra="", ar=True, rp=None,
         msgid=None, to="floss@numerique.gouv.fr"):
    rp = rp if rp is not None else "<%s>" % frm.split("<")[-1].rstrip(">")
    h = "Return-Path: %s\r\nDelivered-To: floss@numerique.gouv.fr\r\n" % rp
    if ar:
        h += AR_PASS.format(d=d)
    h += "X-Rspamd-Action: no action\r\n"
    h += "From: %s\r\nTo: %s\r\nSubject: %s\r\n" % (frm, to, subject)
    h += "Date: Mon, 10 Mar 2025 09:00:00 +0100\r\n"
    h += "Message-ID: <%s@agence.example.fr>\r\nMIME-Version: 1.0\r\n" % (
        msgid or "m" + str(abs(hash(subject)) % 10**8))
    return h + extra


def qp(text, charset):
    return quopri.encodestring(text.encode(charset)).decode("ascii").replace("\n", "\r\n")


def b64(data):
    return "\r\n".join(base64.encodebytes(data).decode().splitlines())


def crlf(s):
    return s.replace("\r\n", "\n").replace("\n", "\r\n")


def write(name, data):
    if isinstance(data, str):
        data = data.encode("latin-1") if all(ord(c) < 256 for c in data) else data.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    frm = "Camille Martin <camille.martin@agence.example.fr>"

    write("utf8-qp.eml", head(frm, "=?UTF-8?Q?Devenir_r=C3=A9f=C3=A9rente_dans_le_SILL?=",
          msgid="utf8qp") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
          qp("Bonjour,\n\nNous utilisons Nextcloud dans notre direction. Comment puis-je "
             "devenir référente de ce logiciel dans le SILL ?\n\nCordialement,\nCamille\n", "utf-8"))

    write("latin1-qp.eml", head(frm, "=?ISO-8859-1?Q?=C9quivalent_libre_=E0_un_logiciel?=",
          msgid="latin1") +
          "Content-Type: text/plain; charset=\"ISO-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
          qp("Bonjour,\n\nExiste-t-il un équivalent libre à Microsoft Visio pour l’équipe "
             "d’urbanisme ?\n\nMerci,\nCamille\n", "cp1252"))

    body = ("Bonjour,\r\n\r\nPour un marché de 40 000 €, avons-nous le droit de citer "
            "nommément « Moodle » dans le cahier des charges ? L’acheteur hésite.\r\n\r\n"
            "Cordialement,\r\nCamille\r\n")
    write("cp1252-8bit.eml", (head(frm, "Nommer un logiciel dans un appel d'offres", msgid="cp1252") +
          "Content-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
          .encode("ascii") + body.encode("cp1252"))

    write("latin9-b64.eml", head(frm, "Lots et titulaires", msgid="latin9") +
          "Content-Type: text/plain; charset=iso-8859-15\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
          b64("Bonjour,\n\nComment fonctionnent les marchés interministériels : qui sont les "
              "titulaires des lots et comment passer une commande ? Budget de l'œuvre : 5 000 €.\n"
              .encode("iso-8859-15")) + "\r\n")

    write("html-only.eml", head(frm, "Communauté", msgid="htmlonly") +
          "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
          qp("<html><head><style>p { color: red; }</style></head><body>"
             "<p>Bonjour,</p><p>Je cherche &agrave; &eacute;changer avec d&rsquo;autres agents "
             "sur les logiciels libres : existe-t-il un salon Tchap ou la communaut&eacute; "
             "BlueHats&nbsp;?</p><p>Merci,<br>Camille</p></body></html>", "utf-8"))

    moj = "Bonjour,\n\nLe socle interministériel de logiciels libres est indisponible : où télécharger ses données ?\n"
    write("mojibake.eml", head("=?ISO-8859-1?Q?Ren=C3=A9e_Dupr=C3=A9?= <renee.dupre@agence.example.fr>",
          "=?ISO-8859-1?Q?Donn=C3=A9es_du_socle_interminist=C3=A9riel?=", msgid="mojibake") +
          "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
          qp(moj.encode("utf-8").decode("latin-1"), "utf-8"))

    mac = "Bonjour,\n\nVous êtes membre d'une équipe de l'opérateur de la DINUM ?\n"
    write("mojibake-macroman.eml", head("=?UTF-8?Q?Ren=C3=A9e?= <renee.dupre@agence.example.fr>",
          "=?UTF-8?Q?=E2=88=9A=C3=A2quipes_produit?=", msgid="macroman") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
          qp(mac.encode("utf-8").decode("mac_roman"), "utf-8"))

    write("reply-quoted.eml", head(frm, "Re: Votre question sur le marché de support", msgid="replyq",
          extra="In-Reply-To: <old1@numerique.gouv.fr>\r\nReferences: <old0@numerique.gouv.fr> <old1@numerique.gouv.fr>\r\n") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nMerci. Autre chose : comment rejoindre la liste de discussion OSPO-fr ?\n\n"
               "Camille\n\nLe lun. 3 mars 2025 à 10:12, Mission logiciels libres <floss@numerique.gouv.fr> a écrit :\n"
               "> Votre établissement est bénéficiaire du marché de support.\n"
               "> La liste des logiciels couverts est publiée.\n"))

    write("outlook-quote.eml", head(frm, "RE: bénéficiaires", msgid="outlookq") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nQuelle licence libre choisir pour publier le code développé par notre prestataire ?\n\n"
               "De : Mission logiciels libres <floss@numerique.gouv.fr>\nEnvoyé : lundi 3 mars 2025 10:12\n"
               "À : Camille Martin\nObjet : bénéficiaires\n\n"
               "Votre établissement est bénéficiaire du marché de support et du marché d'expertise.\n"))

    write("forward.eml", head(frm, "Tr: Référencement", msgid="fwd") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nJe vous transfère ce message reçu hier.\n\nCamille\n\n"
               "-------- Message transféré --------\nSujet : Notre logiciel\nDe : Éditeur <contact@editeur.example.com>\n\n"
               "Bonjour,\nNotre société édite un logiciel libre de gestion de courrier. Comment le faire "
               "référencer dans le SILL ?\nCordialement\n"))

    write("signature-disclaimer.eml", head(frm, "Licence des développements", msgid="sigdisc") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nSous quelle licence libre publier les développements spécifiques de notre marché ?\n\n"
               "Bien cordialement,\nCamille Martin\nCheffe du bureau des marchés publics et des prestataires\n\n"
               "Ce message et toutes les pièces jointes sont confidentiels. Coordinateur, bénéficiaires, "
               "contributions, titulaire du marché.\n"))

    write("english.eml", head("Alex Smith <alex@uni.example.org>", "Upstream contributions", d="uni.example.org",
          msgid="english") +
          "Content-Type: text/plain; charset=us-ascii\r\n\r\n" +
          crlf("Hello,\n\nI maintain a free software project. Where can I find the list of contributions "
               "made upstream through the French support market? Thank you for your help.\n\n"
               "Best regards,\nAlex\n"))

    write("subject-only.eml", head(frm, "=?UTF-8?B?UsOpZsOpcmVuY2VyIG5vdHJlIGxvZ2ljaWVsIGRhbnMgbGUgU0lMTA==?=",
          msgid="subjonly") + "Content-Type: text/plain; charset=utf-8\r\n\r\n")

    write("multi-topic.eml", head(frm, "Propriété intellectuelle et licence", msgid="multi") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nDeux questions sur notre futur marché de développement :\n"
               "1. Faut-il exiger la cession des droits de propriété intellectuelle sur le code source ?\n"
               "2. Quelle licence libre choisir pour publier ce code : EUPL, MIT ou CeCILL ?\n\nMerci,\nCamille\n"))

    write("coordinator.eml", head(frm, "Contact de notre coordinateur", msgid="coord") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
          crlf("Bonjour,\n\nNotre ministère est bénéficiaire. Pouvez-vous me donner le contact de notre "
               "coordinateur pour ouvrir un ticket ?\n\nMerci\n"))

    write("vacation.eml", head(frm, "Absence", msgid="vac", extra="Auto-Submitted: auto-replied (vacation)\r\n") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
          crlf("Je suis absente jusqu'au 17 mars. Pour le SILL, voyez avec ma collègue.\n"))

    write("ooo-subject.eml", head(frm, "Automatic reply: Out of Office", msgid="ooo") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
          crlf("Thank you for your message about the support market.\n"))

    write("bounce.eml", head("Mail Delivery System <MAILER-DAEMON@mx.example.fr>", "Undelivered Mail",
          rp="<>", ar=False, msgid="bounce") +
          "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
          "--b1\r\nContent-Type: text/plain\r\n\r\nYour message about the SILL could not be delivered.\r\n"
          "--b1\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--b1--\r\n")

    write("list.eml", head(frm, "[bluehats] Comment devenir référent ?", msgid="list",
          extra="List-Id: <bluehats.lists.example.org>\r\n") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
          crlf("Comment devenir référent d'un logiciel dans le SILL ?\n"))

    write("spoofed.eml", head("Service <support@banque.example.com>", "Référencer notre logiciel",
          d="banque.example.com", ar=False, msgid="spoof",
          extra="Authentication-Results: mx1.numerique.gouv.fr; dmarc=fail header.from=banque.example.com;\r\n"
                "\tspf=fail smtp.mailfrom=x@evil.example.net\r\n") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
          crlf("Comment référencer notre logiciel dans le SILL ?\n"))

    write("noreply.eml", head("Plateforme <noreply@plateforme.example.fr>", "Nouvelle question sur le SILL",
          d="plateforme.example.fr", msgid="noreply") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
          crlf("Un agent demande : comment devenir référent d'un logiciel ?\n"))

    write("calendar.eml", head(frm, "Invitation: point SILL", msgid="cal") +
          "Content-Type: multipart/alternative; boundary=\"c1\"\r\n\r\n"
          "--c1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPoint sur le SILL et les référents.\r\n"
          "--c1\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
          "--c1--\r\n")

    write("interview.eml", head(frm, "Demande d'entretien pour un reportage", msgid="interview") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
          crlf("Bonjour,\n\nJe suis journaliste et je prépare un reportage sur les OSPO publics. "
               "Serait-il possible d'organiser un entretien avec la mission ?\n\nMerci\n"))

    write("attachment.eml", head(frm, "Cession des droits : extrait du CCTP", msgid="attach") +
          "Content-Type: multipart/mixed; boundary=\"m1\"\r\n\r\n"
          "--m1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nCi-joint l'extrait : devons-nous exiger la cession de la propriété intellectuelle "
               "(article 46 du CCAG-TIC) ?\n\nMerci\n") +
          "--m1\r\nContent-Type: application/pdf; name=\"extrait.pdf\"\r\n"
          "Content-Disposition: attachment; filename*=UTF-8''extrait%20CCTP%20%C3%A9t%C3%A9.pdf\r\n"
          "Content-Transfer-Encoding: base64\r\n\r\n" + b64(b"%PDF-1.4 licence SILL coordinateur\n%%EOF\n") +
          "\r\n--m1--\r\n")

    write("bad-boundary.eml", head(frm, "Équivalent libre", msgid="badb") +
          "Content-Type: multipart/alternative; boundary=\"declared\"\r\n\r\n"
          "--other\r\nContent-Type: text/plain\r\n\r\nExiste-t-il un équivalent libre à Photoshop ?\r\n--other--\r\n")

    write("truncated-b64.eml", head(frm, "Question", msgid="trunc") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
          b64("Existe-t-il un équivalent libre à Photoshop ? ".encode() * 3)[:-7] + "\r\n")

    write("nul-bytes.eml", (head(frm, "Question", msgid="nul") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n").encode() +
          b"Existe-t-il un \x00 \xc3\xa9quivalent libre \x00\x00 \xc3\xa0 Photoshop ?\r\n")

    write("8bit-headers.eml", ("Return-Path: <camille.martin@agence.example.fr>\r\n"
          "Authentication-Results: mx1.numerique.gouv.fr; dmarc=pass header.from=agence.example.fr\r\n"
          "From: Ren\xc3\xa9e Dupr\xc3\xa9 <camille.martin@agence.example.fr>\r\n"
          "To: floss@numerique.gouv.fr\r\nSubject: Alternative libre \xc3\xa0 Visio\r\n"
          "Message-ID: <8bit@agence.example.fr>\r\n\r\n").encode("latin-1") +
          "Quelle alternative libre à Visio recommandez-vous ?\r\n".encode("utf-8"))

    write("injection.eml", head("=?UTF-8?Q?Eve=0D=0ABcc:_victim@example.com?= <eve@agence.example.fr>",
          "=?UTF-8?Q?SILL=0D=0ABcc:_victim@example.com?= <b>bold</b>", msgid="inject",
          extra="Reply-To: <eve@agence.example.fr>\r\n") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
          crlf("<script>alert('x')</script> Comment référencer notre logiciel dans le SILL ?\n"
               "[lien](https://evil.example.net) **gras**\n"))

    write("reply-to-other.eml", head(frm, "Référencer notre solution", msgid="rto",
          extra="Reply-To: Someone Else <someone@autre.example.net>\r\n") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
          crlf("Comment référencer notre solution dans le SILL ?\n"))

    write("no-auto-response.eml", head(frm, "Référencement", msgid="xars",
          extra="X-Auto-Response-Suppress: All\r\n") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
          crlf("Comment référencer notre logiciel dans le SILL ?\n"))

    # Replies to the responder's answers, quotes and forwards of every shape.
    ours = "<floss-responder.1741600000.5d2c9e0a7b314f68@numerique.gouv.fr>"
    write("follow-up.eml", head(frm, "Re: Référencer un logiciel libre dans le SILL", msgid="followup",
          extra="In-Reply-To: %s\r\nReferences: <q1@agence.example.fr> %s\r\n" % (ours, ours)) +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nEt comment référencer notre logiciel si aucune administration ne l'utilise encore ?\n\n"
               "Camille\n"))
    write("follow-up-other.eml", head(frm, "Re: Référencer un logiciel libre dans le SILL", msgid="fuother",
          extra="In-Reply-To: <8c1f0e2a-77d4@numerique.gouv.fr>\r\n"
                "References: <q1@agence.example.fr> <8c1f0e2a-77d4@numerique.gouv.fr>\r\n") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nEt comment référencer notre logiciel si aucune administration ne l'utilise encore ?\n\n"
               "Camille\n"))
    frame = open(os.path.join(HERE, "..", "..", "replies", "fr", "_frame.md"), encoding="utf-8").read()
    notice = frame.split('automatic: "')[1].split('"')[0]
    write("follow-up-quoted.eml", head(frm, "Re: votre message", msgid="fuquoted") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nComment rejoindre la liste de discussion OSPO-fr ?\n\nCamille\n\n"
               "Le lun. 3 mars 2025 à 10:12, Mission logiciels libres <floss@numerique.gouv.fr> a écrit :\n"
               "> Bonjour,\n>\n> Le catalogue est en pause.\n>\n> " + notice + "\n"))
    body = open(os.path.join(HERE, "..", "..", "replies", "fr", "sill-reference.md"), encoding="utf-8").read()
    body = body.split("---\n", 2)[2].split("\n\n")[0]
    write("pasted-answer.eml", head(frm, "Une autre question", msgid="pasted") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nVous m'aviez répondu ceci :\n\n" + body.replace("**", "") +
               "\n\nC'est noté. Comment rejoindre la communauté BlueHats ?\n\nCamille\n"))
    write("interleaved.eml", head(frm, "Re: marché de support", msgid="interleaved") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Le mar. 4 mars 2025 à 09:30, Mission logiciels libres <floss@numerique.gouv.fr> a écrit :\n"
               "> Votre établissement est bénéficiaire du marché de support.\n\n"
               "Bien noté, merci.\n\n"
               "> Le titulaire du lot 1 publie ses contributions.\n\n"
               "Autre chose : quelle licence libre choisir pour publier le code de notre application ?\n\n"
               "Cordialement,\nCamille\n"))
    write("courtesy.eml", head(frm, "Re: votre message", msgid="courtesy") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Merci pour votre réponse.\n\nUne dernière question : comment s'abonner à la liste de "
               "discussion OSPO-fr ?\n\nCamille\n"))
    write("outlook-forward.eml", head(frm, "TR: question", msgid="outlookfwd") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nPouvez-vous répondre à mon collègue ?\n\nCamille\n\n"
               "________________________________\nDe : Paul Durand <paul.durand@agence.example.fr>\n"
               "Envoyé : lundi 3 mars 2025 10:12\nÀ : Camille Martin <camille.martin@agence.example.fr>\n"
               "Objet : TR: dessin\n\nExiste-t-il un équivalent libre à notre logiciel de dessin "
               "vectoriel propriétaire ?\n"))
    # Lures: each authenticated for its own domain, as they often are.
    write("lure-phishing-fr.eml", head("Service Messagerie <alerte@messagerie-agents.example>",
          "Action requise : votre messagerie", d="messagerie-agents.example", msgid="lurefr") +
          "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
          qp("<html><body><p>Bonjour,</p><p>Votre bo&icirc;te aux lettres est pleine : les "
             "nouveaux messages sont retenus. Pour les recevoir, confirmez votre mot de passe "
             "avant ce soir.</p><p><a href=\"https://connexion-messagerie.example/agents/?u=floss\" "
             "style=\"background:#000091;color:#fff\">Se connecter</a></p>"
             "<p>Le service informatique</p></body></html>", "utf-8"))

    write("lure-invoice.eml", head("Recouvrement <relances@gestion-factures.example>",
          "Relance : facture 2026-118 impayée", d="gestion-factures.example", msgid="lureinv") +
          "Content-Type: multipart/mixed; boundary=\"inv\"\r\n\r\n"
          "--inv\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Madame, Monsieur,\n\nLa facture 2026-118 reste impayée à ce jour. Merci d'en "
               "régler le montant sous 48 heures pour éviter des frais de retard. Le détail est "
               "joint.\n\nService des relances\n") +
          "\r\n--inv\r\nContent-Type: text/html; name=\"facture-2026-118.html\"\r\n"
          "Content-Disposition: attachment; filename=\"facture-2026-118.html\"\r\n"
          "Content-Transfer-Encoding: base64\r\n\r\n" +
          b64(b"<html><body><script>location.href='https://factures-en-ligne.example/v'</script>"
              b"</body></html>") + "\r\n--inv--\r\n")

    write("lure-sign-en.eml", head("Contracts desk via SignDesk <desk@signdesk-mail.example>",
          "Please sign: support market amendment", d="signdesk-mail.example", msgid="luresign") +
          "Content-Type: text/html; charset=utf-8\r\n\r\n" +
          crlf("<p>Hello,</p><p>A document is awaiting your signature: <b>amendment to the "
               "interministerial support market, lot 2</b>. Please review and sign it today.</p>"
               "<p><a href=\"https://docs-review.example/s/6Tq2\">Review document</a></p>\n"))

    write("lure-lookalike.eml", head("DSI <dsi@interieur-gouv.example>",
          "Votre compte", d="interieur-gouv.example", msgid="lurelook") +
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          crlf("Bonjour,\n\nSuite à une mise à jour, votre compte sera désactivé vendredi si vous "
               "ne répondez pas à ce message avec vos identifiants.\n\nLa DSI\n"))

    # Not lures: a vendor's HTML-only question that mentions an invoice.
    write("lure-not-vendor.eml", head("Sophie Leroy <s.leroy@integrateur-libre.example>",
          "Facturation du marché de support", d="integrateur-libre.example", msgid="lurenot") +
          "Content-Type: text/html; charset=utf-8\r\n\r\n" +
          crlf("<p>Bonjour,</p><p>Nous intervenons comme sous-traitant sur le marché de support. "
               "Merci de nous confirmer à qui adresser notre facture : au titulaire ou au "
               "ministère ?</p><p>Notre présentation : <a href=\"https://www.integrateur-libre.example/"
               "offre\">cliquez ici</a>.</p><p>Sophie Leroy</p>\n"))

    # One short question per topic, in words no rule was written from.
    paraphrases = {
        "para-01": ("Demande d'inscription au SILL", "Bonjour, je travaille pour une PME qui développe un logiciel libre de gestion documentaire. Que faut-il faire pour que notre logiciel apparaisse dans le SILL ?"),
        "para-02": ("Référent Zimbra", "Bonjour, je gère le parc Zimbra de notre préfecture. Puis-je me porter référent de Zimbra dans le socle ?"),
        "para-03": ("Logiciel libre pour remplacer Photoshop", "Bonjour, connaissez-vous un logiciel libre qui pourrait remplacer Photoshop pour notre service communication ?"),
        "para-04": ("Prestataire Nextcloud", "Bonjour, nous cherchons une entreprise pour nous aider à déployer Nextcloud. Avez-vous une liste de sociétés spécialisées ?"),
        "para-05": ("Accès au SILL", "Bonjour, le site du SILL ne s'affiche plus. Où puis-je récupérer la liste des logiciels ?"),
        "para-06": ("Notre université peut-elle utiliser le marché de support ?", "Bonjour, l'université de Rennes peut-elle bénéficier du marché interministériel de support logiciels libres ?"),
        "para-07": ("PostgreSQL et marché de support", "Bonjour, PostgreSQL fait-il partie des logiciels couverts par le marché de support ?"),
        "para-08": ("Contributions du marché", "Bonjour, pouvez-vous m'indiquer où trouver la liste des correctifs reversés aux projets par le titulaire du marché de support ?"),
        "para-09": ("Fonctionnement du marché d'expertise", "Bonjour, comment passer une commande sur le lot Moodle du marché d'expertise, et qui en est le titulaire ?"),
        "para-10": ("Marché public et logiciel libre", "Bonjour, dans notre appel d'offres, pouvons-nous exiger que la solution soit un logiciel libre, en citant son nom ?"),
        "para-11": ("Propriété du code", "Bonjour, notre prestataire refuse de nous céder les droits sur le code qu'il a développé. Que prévoit le CCAG-TIC ?"),
        "para-12": ("Choix de licence", "Bonjour, quelle licence libre recommandez-vous pour publier le code de notre application, EUPL ou MIT ?"),
        "para-13": ("OSPO", "Bonjour, notre ministère vient de créer un OSPO. Comment apparaître sur la liste des OSPO publics ?"),
        "para-14": ("Liste OSPO-fr", "Bonjour, comment m'abonner à la liste de discussion OSPO-fr ?"),
        "para-15": ("BlueHats", "Bonjour, comment rejoindre la communauté BlueHats ?"),
        "para-16": ("Which free licence", "Hello, which open source licence should a French public body use to publish its code?"),
        "para-17": ("SILL listing", "Hello, we are a small company and would like our open source CRM to appear in the SILL. What is the process?"),
        "para-18": ("Is CNRS eligible?", "Hello, can a CNRS lab use the interministerial support market for free software?"),
        "para-19": ("Stage", "Bonjour, je suis étudiant et je cherche un stage dans le logiciel libre. Ci-joint mon CV."),
        "para-20": ("Question", "Bonjour, j'ai une question sur le SILL : est-il toujours maintenu ?"),
        "para-21": ("Notre usage de Jitsi", "Bonjour, comment notre "
                    "agglomération peut-elle être mentionnée dans le catalogue "
                    "comme collectivité utilisatrice de Jitsi ?"),
        "para-22": ("Inscription de notre outil", "Bonjour, nous éditons un outil "
                    "libre de gestion des cantines scolaires, que nous aimerions "
                    "voir parmi les logiciels recommandés aux administrations."),
        "para-23": ("Question", "Bonjour, que faut-il faire pour que notre "
                    "logiciel soit dans le catalogue de l'État ?"),
        "para-24": ("Support", "Bonjour, notre université peut utiliser le marché "
                    "de support. Pouvez-vous nous dire qui est la personne qui "
                    "transmet nos demandes au titulaire ?"),
        "para-25": ("Dolibarr", "Bonjour, je serais ravie d'apparaître comme "
                    "personne à contacter pour Dolibarr dans le catalogue. "
                    "Comment procéder ?"),
        "para-26": ("Nextcloud", "Hello, we'd be happy to be listed as users of "
                    "Nextcloud in your catalogue of recommended software. What should "
                    "we send you?"),
        "para-27": ("Question", "Hello, can a university hospital use the "
                    "interministerial contract?"),
        "para-28": ("Expertise", "Bonjour, une communauté d'agglomération peut-elle "
                    "recourir au contrat d'expertise ?"),
        "para-29": ("OSPO", "Bonjour, comment les agents d'un OSPO "
                    "s'inscrivent-ils sur la liste de diffusion qui leur est dédiée ?"),
        "para-30": ("Catalogue", "Salut, on trouve où le catalogue des logiciels "
                    "libres recommandés ?"),
        "para-31": ("GLPI", "Bonjour, GLPI fait-il partie des logiciels du "
                    "marché de support ?"),
        "para-32": ("Syndicat", "Bonjour, un syndicat intercommunal a-t-il droit "
                    "au marché interministériel de support ?"),
        "para-33": ("Video editing", "Hello, our team edits videos with a paid "
                    "suite. Is there an open source program we could take instead?"),
        "para-34": ("Moodle", "Bonjour, notre rectorat peut-il passer par le lot "
                    "Moodle du marché d'expertise ?"),
        "para-35": ("Referent", "Hello, our lab is among the beneficiaries of the "
                    "interministerial support contract, which we use for PostgreSQL. "
                    "I would like to become the referent for PostgreSQL in the "
                    "catalogue."),
        "para-36": ("OSPO-fr", "Bonjour, je m'abonne de quelle façon à la liste mail "
                    "réservée aux OSPO ?"),
        "para-37": ("Droits sur le code", "Bonjour, dans le cadre du renouvellement "
                    "de notre portail, le futur marché doit-il prévoir la cession des "
                    "droits sur le code au profit de la commune ?"),
        "para-38": ("OSPO-fr", "Hello, I asked to join the OSPO-fr list last month "
                    "and nothing has happened since. Could somebody accept this "
                    "request?"),
    }
    for name, (subject, text) in paraphrases.items():
        write(name + ".eml", head(frm, subject, msgid=name) +
              "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
              crlf(text + "\n\nCordialement,\nCamille\n"))


if __name__ == "__main__":
    main()
