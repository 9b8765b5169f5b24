#!/usr/bin/env python3
"""Writes conf/entities.yaml from the code.gouv.fr pages in ../shared/docs:
the beneficiaries of the two interministerial markets (support, expertise)
and the free software the support market covers, with the names people
write.  An update of the site is one command:

    tools/gen-entities.py [DOCS] > conf/entities.yaml

The pages give names, acronyms and lists; the mail domains of each
organisation and the usual spellings of some software are editorial
knowledge kept in the tables below.  Python 3 standard library only."""

import os
import re
import sys
import unicodedata

BENEFICIARIES = "site-utiliser--marches-logiciels-libres.md"
SOFTWARE = "site-utiliser--marches-logiciels-libres-liste-logiciels.md"
BENEFICIARIES_URL = "https://code.gouv.fr/fr/utiliser/marches-logiciels-libres/"
SOFTWARE_URL = ("https://code.gouv.fr/fr/utiliser/"
                "marches-logiciels-libres-liste-logiciels/")

# The mail domains of each organisation, by its key (see key()); a domain
# covers its subdomains.  Only the organisation's own domains: a wrong "you
# are a beneficiary" is worse than the general answer.
DOMAINS = {
    "conseil constitutionnel": ["conseil-constitutionnel.fr"],
    "cour des comptes": ["ccomptes.fr"],
    "services de la presidence de la republique": ["elysee.fr"],
    "services et entites relevant du perimetre budgetaire des services du"
    " premier ministre": ["pm.gouv.fr", "numerique.gouv.fr",
                          "modernisation.gouv.fr", "sgdsn.gouv.fr",
                          "ssi.gouv.fr"],
    "ministeres francais": [
        "agriculture.gouv.fr", "armees.gouv.fr", "culture.gouv.fr",
        "defense.gouv.fr", "developpement-durable.gouv.fr",
        "diplomatie.gouv.fr", "douane.finances.gouv.fr",
        "ecologie.gouv.fr", "economie.gouv.fr", "education.gouv.fr",
        "enseignementsup.gouv.fr", "finances.gouv.fr", "interieur.gouv.fr",
        "def.gouv.fr", "intradef.gouv.fr", "justice.gouv.fr",
        "outre-mer.gouv.fr",
        "recherche.gouv.fr", "sante.gouv.fr", "social.gouv.fr",
        "sports.gouv.fr", "territoires.gouv.fr", "travail.gouv.fr"],
    "ANSES": ["anses.fr"],
    "CNAF": ["cnaf.fr"],
    "CNRS": ["cnrs.fr"],
    "ABM": ["biomedecine.fr"],
    "ANS": ["esante.gouv.fr"],
    "IHEDN": ["ihedn.fr"],
    "INRIA": ["inria.fr"],
    "INPI": ["inpi.fr"],
    "IRSN": ["irsn.fr"],
    "reseau canope": ["reseau-canope.fr"],
}

# Other names people write for an organisation, by its key: names that
# tell it alone.  A common noun ("ministère", "université", "agence")
# names none: an agency under a ministry's supervision writes "notre
# ministère", and is not a ministry.
ORG_NAMES = {
    "services de la presidence de la republique": [
        "Présidence de la République", "Élysée"],
    "services et entites relevant du perimetre budgetaire des services du"
    " premier ministre": ["services du Premier ministre", "Matignon"],
    "CNAF": ["Caisse nationale d'allocations familiales"],
    "ANS": ["Agence du numérique en santé"],
    "INRIA": ["Inria"],
    "IHEDN": ["Institut des hautes études de la défense nationale"],
    "reseau canope": ["Canopé"],
}

# How a reply names an organisation at the start of a sentence, in French
# and in English, and whether the name is plural, by its key.
LABELS = {
    "conseil constitutionnel": ("Le Conseil constitutionnel",
                                "The Conseil constitutionnel", False),
    "cour des comptes": ("La Cour des comptes", "The Cour des comptes", False),
    "services de la presidence de la republique": (
        "Les services de la Présidence de la République",
        "The services of the Présidence de la République", True),
    "services et entites relevant du perimetre budgetaire des services du"
    " premier ministre": (
        "Les services et entités relevant du périmètre budgétaire des"
        " services du Premier ministre",
        "The services and entities within the budget scope of the Prime"
        " Minister's services", True),
    "ministeres francais": ("Les ministères français", "The French ministries",
                            True),
    "ANSES": ("L'ANSES", "ANSES", False),
    "CNAF": ("La CNAF", "CNAF", False),
    "CNRS": ("Le CNRS", "CNRS", False),
    "ABM": ("L'Agence de la biomédecine (ABM)",
            "The Agence de la biomédecine (ABM)", False),
    "ANS": ("L'Agence du numérique en santé (ANS)",
            "The Agence du numérique en santé (ANS)", False),
    "IHEDN": ("L'IHEDN", "IHEDN", False),
    "INRIA": ("L'INRIA", "INRIA", False),
    "INPI": ("L'INPI", "INPI", False),
    "IRSN": ("L'IRSN", "IRSN", False),
    "reseau canope": ("Réseau Canopé", "Réseau Canopé", False),
}

# Free software people ask about that the support market does not cover
# (yet): named in a reply as "not on the list".  A name the page lists
# (or a variant of one) is left out, so that when the site adds it, it
# moves to the covered list by running this script again.
KNOWN = ["7-Zip", "Audacity", "Bitwarden", "BlueMind", "Chamilo", "CiviCRM",
         "CryptPad", "Decidim", "Dolibarr", "Etherpad", "Forgejo", "FreeCAD",
         "FreeIPA", "GIMP", "Gitea", "Graylog", "HedgeDoc", "Inkscape",
         "Jitsi", "Kdenlive", "Kibana", "Krita", "Mastodon", "Nuxeo", "Odoo",
         "OnlyOffice", "OpenProject", "OpenStack", "OPNsense", "ownCloud",
         "Penpot", "pfSense", "PostGIS", "Pydio", "Scribus", "Seafile",
         "Snipe-IT", "Traefik", "TYPO3", "Vaultwarden", "VLC", "VSCodium",
         "Wazuh", "Wireshark", "Zammad", "Zimbra", "Zotero", "Zulip"]

# Mail providers of the public: a sender there says nothing of his
# organisation (a domain covers its subdomains).
PERSONAL = ["aol.com", "bbox.fr", "club-internet.fr", "free.fr", "gmail.com",
            "gmx.com", "gmx.de", "gmx.fr", "googlemail.com", "hotmail.com",
            "hotmail.fr", "icloud.com", "laposte.net", "live.com", "live.fr",
            "mailo.com", "me.com", "msn.com", "neuf.fr", "numericable.fr",
            "orange.fr", "outlook.com", "outlook.fr", "pm.me", "posteo.net",
            "proton.me", "protonmail.com", "riseup.net", "sfr.fr",
            "tutanota.com", "wanadoo.fr", "web.de", "yahoo.com", "yahoo.fr",
            "ymail.com", "zaclys.net"]

# Domains shared by organisations on the lists and others (a ministry's
# services and bodies it oversees, a rectorate and its schools): a sender
# there is neither recognised nor told he is not on the lists.
UNSURE = ["gouv.fr"] + ["ac-%s.fr" % a for a in [
    "aix-marseille", "amiens", "besancon", "bordeaux", "clermont", "corse",
    "creteil", "dijon", "grenoble", "guadeloupe", "guyane", "lille",
    "limoges", "lyon", "martinique", "mayotte", "montpellier", "nancy-metz",
    "nantes", "nice", "normandie", "orleans-tours", "paris", "poitiers",
    "polynesie", "reims", "rennes", "reunion", "strasbourg", "toulouse",
    "versailles"]]

# How an English reply names a software whose name on the page is French.
SOFTWARE_EN = {
    "Noyau CentOS": "CentOS kernel",
    "Noyau Debian": "Debian kernel",
    "Noyau Ubuntu": "Ubuntu kernel",
}

# Other names people write for a software, by its name on the page.
SOFTWARE_NAMES = {
    "Apache HTTP Server": ["Apache", "httpd"],
    "apache kafka": ["Kafka"],
    "apache Spark": ["Spark"],
    "Apache superset": ["Superset"],
    "Apache Hadoop": ["Hadoop"],
    "Noyau Debian": ["Debian"],
    "Noyau Ubuntu": ["Ubuntu"],
    "Sonar": ["SonarQube"],
    "PostgreSQL": ["Postgres", "Postgre"],
    "LibreOffice": ["Libre Office"],
    "Alma Linux": ["AlmaLinux"],
    "Rocky Linux": ["RockyLinux"],
    "COLLABORA online": ["Collabora"],
    "Alfresco community": ["Alfresco"],
    "Matomo (Ex. Piwik)": ["Matomo", "Piwik"],
    "OpenFire (anciennement Wildfire)": ["OpenFire", "Wildfire"],
    "OpenSSH (dont sftp server)": ["OpenSSH"],
    "LVS (Linux Virtual Server) / Ipvsadm": ["LVS", "Ipvsadm",
                                             "Linux Virtual Server"],
    "sysstat (sar & isag)": ["sysstat"],
    "Proxmox VE": ["Proxmox"],
    "Joomla !": ["Joomla"],
    "Drupal-core": ["Drupal"],
    "Gitlab": ["GitLab"],
    "Jupyter Hub": ["JupyterHub"],
    "Open Jdk": ["OpenJDK"],
    "Passbolt CE": ["Passbolt"],
    "Pentaho CE": ["Pentaho"],
    "Fusion Inventory": ["FusionInventory"],
    "Fusion Forge": ["FusionForge"],
    "OCS inventory NG": ["OCS Inventory"],
    "Nginx": ["NGINX"],
    "NodeJS": ["Node.js"],
    "ElasticSearch": ["Elastic Search"],
    "Filezilla client": ["FileZilla"],
    "Talend Open Studio": ["Talend"],
    "TrueNAS CORE": ["TrueNAS"],
    "Bigbluebutton": ["BBB"],
    "RocketChat": ["Rocket.Chat"],
    "Shibboleth IdP": ["Shibboleth"],
    "Spring Framework": ["Spring"],
}

# Names that are also ordinary words or too short to be told apart from
# them: recognised only when written exactly so (case included).
EXACT = {"R", "Audit", "Spark", "Explorer++", "CUPS", "Midpoint", "Putty",
         "Hibernate", "Wildfire", "Longhorn", "GRR", "Gatling", "Smarty",
         "bootstrap", "Cilium", "Metrics", "Cargo", "Git", "SWIFT", "Sonar", "Hue",
         "Quartz", "Jersey", "Papyrus", "Sumatra", "Castor", "Nexus",
         "Falco", "Gatekeeper", "NFS", "regexp", "Perl", "Python", "PHP",
         "Mantis", "Eclipse", "Puppet", "Ntp", "Spring", "heartbeat",
         "Publik", "Metabase", "ANT", "AXIS", "Docker", "Sogo", "Cobbler",
         "Veyon", "Velero", "Trinio", "Gridlex", "Rancher", "Lucene",
         "Packer", "Varnish", "VAULT", "Sympa", "SPIP", "Percona", "ANS",
         "BBB", "LVS", "Hive", "The Hive", "Sendmail", "Solr", "Nexus"}


def fold(s):
    """Lower case without accents, words separated by one space."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[^0-9a-zA-Z+]+", " ", s.lower())
    return s.strip()


def front_matter(text, path):
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not m:
        sys.exit("%s: no front matter" % path)
    date = re.search(r"^date: *(\S+)", m.group(1), re.M)
    return date.group(1) if date else None, text[m.end():]


def sections(body):
    """{heading: [list items]} for the second-level sections."""
    out, cur = {}, None
    for line in body.splitlines():
        if line.startswith("## "):
            cur = line[3:].strip()
            out[cur] = []
        elif cur is not None and line.startswith("- "):
            # No-break spaces ("Joomla !") as plain ones.
            out[cur].append(re.sub(r"\s+", " ", line[2:]).strip())
    return out


def require(path, missing, why):
    """Stops with the reason when a table and a page disagree."""
    if missing:
        sys.exit("%s: %s" % (path, why % ", ".join(missing)))


def names_exact(w, first, names):
    """The other names of an entity, and those of all (first, then names)
    to be matched as written."""
    if names:
        w("      names: [%s]\n" % ", ".join(q(n) for n in names))
    exact = [n for n in first + names if n in EXACT]
    if exact:
        w("      exact: [%s]\n" % ", ".join(q(n) for n in exact))


def key(name, acronym):
    if acronym:
        return acronym
    k = fold(name)
    return re.sub(r"^(le|la|les|l) ", "", k)


def q(s):
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    docs = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared",
        "docs")
    path = os.path.join(docs, BENEFICIARIES)
    with open(path, encoding="utf-8") as f:
        bdate, body = front_matter(f.read(), path)
    orgs = {}
    order = []
    for heading, items in sections(body).items():
        market = ("support" if "support" in heading else
                  "expertise" if "expertise" in heading else None)
        if market is None or not heading.startswith("Liste des"):
            continue
        for item in items:
            only = None
            m = re.match(r"(.*?)\s*:\s*\*(.*)\*\s*$", item)
            if m:
                item, only = m.group(1), m.group(2).strip()
            m = re.match(r"(.*?)\s*\(([^)]+)\)\s*$", item)
            name, acronym = (m.group(1), m.group(2)) if m else (item, None)
            name = name.strip()
            k = key(name, acronym)
            if k not in orgs:
                orgs[k] = {"name": name, "acronym": acronym, "markets": []}
                order.append(k)
            lot = re.search(r"\blot (\S+)", only) if only else None
            if only and not lot:
                sys.exit("%s: no lot in \"%s\"" % (path, only))
            orgs[k]["markets"].append((market, only,
                                       lot.group(1) if lot else None))
    if not orgs:
        sys.exit("%s: no beneficiary found" % path)
    require(path, [k for k in orgs if k not in LABELS],
            "no label for %s (see LABELS)")
    require(path, [k for k in DOMAINS if k not in orgs],
            "the domain table names %s, not on the page")

    path = os.path.join(docs, SOFTWARE)
    with open(path, encoding="utf-8") as f:
        sdate, body = front_matter(f.read(), path)
    software = [s for items in sections(body).values() for s in items]
    if not software:
        sys.exit("%s: no software found" % path)
    require(path, [s for s in SOFTWARE_EN if s not in software],
            "the English names table names %s, not on the page")
    require(path, [s for s in SOFTWARE_NAMES if s not in software],
            "the names table names %s, not on the page")

    w = sys.stdout.write
    w("# Generated by tools/gen-entities.py from the code.gouv.fr pages\n"
      "# (../shared/docs): do not edit; run it again when the site"
      " changes.\n")
    w("beneficiaries:\n  date: %s\n  url: %s\n  organisations:\n" %
      (bdate, BENEFICIARIES_URL))
    for k in order:
        o = orgs[k]
        w("    - name: %s\n" % q(o["name"]))
        if o["acronym"]:
            w("      acronym: %s\n" % q(o["acronym"]))
        names_exact(w, [o["acronym"]], ORG_NAMES.get(k, []))
        fr, en, plural = LABELS[k]
        w("      label: {fr: %s, en: %s}\n" % (q(fr), q(en)))
        if plural:
            w("      plural: yes\n")
        w("      domains: [%s]\n" % ", ".join(q(d) for d in
                                             DOMAINS.get(k, [])))
        w("      markets:\n")
        for market, only, lot in o["markets"]:
            w("        - market: %s\n" % market)
            if only:
                w("          only: %s\n          lot: %s\n" %
                  (q(only), q(lot)))
    w("software:\n  date: %s\n  url: %s\n  list:\n" % (sdate, SOFTWARE_URL))
    for s in software:
        w("    - name: %s\n" % q(s))
        if s in SOFTWARE_EN:
            w("      en: %s\n" % q(SOFTWARE_EN[s]))
        names_exact(w, [s], SOFTWARE_NAMES.get(s, []))
    listed = {fold(n) for s in software
              for n in [s] + SOFTWARE_NAMES.get(s, [])}
    w("  unlisted: [%s]\n" % ", ".join(q(n) for n in KNOWN
                                       if fold(n) not in listed))
    w("personal_domains: [%s]\n" % ", ".join(q(d) for d in PERSONAL))
    w("unsure_domains: [%s]\n" % ", ".join(q(d) for d in UNSURE))


if __name__ == "__main__":
    main()
