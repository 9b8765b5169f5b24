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
        "intradef.gouv.fr", "justice.gouv.fr", "outre-mer.gouv.fr",
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

# Other names people write for an organisation, by its key.
ORG_NAMES = {
    "services de la presidence de la republique": [
        "Présidence de la République", "Élysée"],
    "services et entites relevant du perimetre budgetaire des services du"
    " premier ministre": ["services du Premier ministre", "Matignon"],
    "ministeres francais": ["ministère", "ministères"],
    "CNAF": ["Caisse nationale d'allocations familiales"],
    "ANS": ["Agence du numérique en santé"],
    "INRIA": ["Inria"],
    "IHEDN": ["Institut des hautes études de la défense nationale"],
    "reseau canope": ["Canopé"],
}

# Other names people write for a software, by its name on the page.
SOFTWARE_NAMES = {
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
EXACT = {"R", "Audit", "Metrics", "Cargo", "Git", "SWIFT", "Sonar", "Hue",
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
            orgs[k]["markets"].append((market, only))
    if not orgs:
        sys.exit("%s: no beneficiary found" % path)
    missing = [k for k in DOMAINS if k not in orgs]
    if missing:
        sys.exit("%s: the domain table names %s, not on the page" %
                 (path, ", ".join(missing)))

    path = os.path.join(docs, SOFTWARE)
    with open(path, encoding="utf-8") as f:
        sdate, body = front_matter(f.read(), path)
    software = [s for items in sections(body).values() for s in items]
    if not software:
        sys.exit("%s: no software found" % path)
    unknown = [s for s in SOFTWARE_NAMES if s not in software]
    if unknown:
        sys.exit("%s: the names table names %s, not on the page" %
                 (path, ", ".join(unknown)))

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
        names = ORG_NAMES.get(k, [])
        if names:
            w("      names: [%s]\n" % ", ".join(q(n) for n in names))
        w("      domains: [%s]\n" % ", ".join(q(d) for d in
                                             DOMAINS.get(k, [])))
        w("      markets:\n")
        for market, only in o["markets"]:
            w("        - market: %s\n" % market)
            if only:
                w("          only: %s\n" % q(only))
    w("software:\n  date: %s\n  url: %s\n  list:\n" % (sdate, SOFTWARE_URL))
    for s in software:
        w("    - name: %s\n" % q(s))
        names = SOFTWARE_NAMES.get(s, [])
        if names:
            w("      names: [%s]\n" % ", ".join(q(n) for n in names))
        if s in EXACT or any(n in EXACT for n in names):
            exact = [n for n in [s] + names if n in EXACT]
            w("      exact: [%s]\n" % ", ".join(q(n) for n in exact))


if __name__ == "__main__":
    main()
