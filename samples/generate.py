#!/usr/bin/env python3
"""Generate the SYNTHETIC sample inbox of hotline-etl, its expected figures and the member mappings.

Everything here is invented: case numbers, children, names and remarks are drawn from a seeded
random generator. No real person or case is described.

    python3 samples/generate.py          # rewrites samples/ and pipelines/members/ byte-identically

Writes:
    samples/be-cf/dossiers-2025.xml, samples/be-cf/contacts-2025.xml        (Child Focus, FR, XML)
    samples/de-ivk/faelle-2025.csv.gz, samples/de-ivk/kontakte-2025.csv.gz  (IVK, DE, CSV cp1252)
    samples/it-ta/casi-2025.json, samples/it-ta/contatti-2025.json          (Telefono Azzurro, IT)
    samples/fr-fpe/signalements-2025.csv, samples/fr-fpe/appels-2025.csv   (116 000 Enfants Disparus, FR, UTF-16)
    samples/es-anar/casos-2025.ndjson, samples/es-anar/contactos-2025.ndjson (ANAR, ES, JSON lines)
    samples/pt-iac/processos-2025.xml.gz, samples/pt-iac/contactos-2025.xml.gz (IAC, PT, gzipped XML)
    samples/expected.json, samples/README.md
    pipelines/members/be-cf.yaml, de-ivk.yaml, it-ta.yaml, fr-fpe.yaml, es-anar.yaml, pt-iac.yaml

The expected figures come from the generator's own ground truth (the canonical records it drew
before writing them in each member's local vocabulary), never from the pipeline. As a self-check
the script then reads its files back with the standard library, applies the mapping dicts the way
docs/mapping.md describes, and asserts that this independent reading gives the same figures (so
every local code in a good record is mapped, and the bad records fail for exactly one reason).

Standard library only; deterministic (fixed seeds, gzip mtime=0, stable ordering).
"""

import csv
import datetime as dt
import gzip
import io
import json
import os
import random
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

YEAR = 2025
SEED = 116000
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MEMBERS_DIR = os.path.join(ROOT, "pipelines", "members")

CATEGORIES = ["RUNAWAY", "PARENTAL_ABDUCTION", "CRIMINAL_ABDUCTION", "MISSING_MIGRANT",
              "LOST_INJURED", "OTHERWISE_MISSING"]
CASE_FIELD_ORDER = ["case_id", "child_id", "opened_on", "closed_on", "category", "cross_border",
                    "repeat_missing", "violence_experienced", "destination_country", "child_age",
                    "child_gender", "outcome", "found_by", "days_missing", "first_channel"]
CONTACT_FIELD_ORDER = ["month", "channel", "contact_type", "count"]
REQUIRED = {"case_id", "opened_on", "category", "child_gender", "outcome",
            "month", "channel", "contact_type", "count"}
FIELD_TYPE = {
    "case_id": "id", "child_id": "id", "opened_on": "date", "closed_on": "date",
    "category": "code", "child_gender": "code", "outcome": "code", "found_by": "code",
    "first_channel": "code", "channel": "code", "contact_type": "code",
    "cross_border": "bool", "repeat_missing": "bool", "violence_experienced": "bool",
    "child_age": "int", "days_missing": "int", "month": "int", "count": "int",
    "destination_country": "country",
}

MISSING = object()  # raw override: leave the field out of the record entirely


# ---------------------------------------------------------------------------------------------
# Local vocabularies. canonical code -> local codes (first = usual spelling, others = synonyms
# the member also uses). The mapping files' `map:` blocks are built from these same dicts.
# ---------------------------------------------------------------------------------------------

VOCAB = {
    "BE-CF": {
        "category": {
            "RUNAWAY": ["fugue"],
            "PARENTAL_ABDUCTION": ["enlèvement parental"],
            "CRIMINAL_ABDUCTION": ["enlèvement criminel"],
            "MISSING_MIGRANT": ["mineur étranger non accompagné disparu", "MENA disparu"],
            "LOST_INJURED": ["perdu/blessé"],
            "OTHERWISE_MISSING": ["disparition inquiétante"],
        },
        "child_gender": {"FEMALE": ["F"], "MALE": ["M"], "OTHER": ["X"]},
        "bool": {True: ["oui"], False: ["non"]},
        "outcome": {"FOUND": ["retrouvé"], "FOUND_DECEASED": ["retrouvé décédé"],
                    "NOT_FOUND": ["non retrouvé"], "UNKNOWN": ["inconnu"]},
        "found_by": {"POLICE": ["police"], "OWN_ACCORD": ["retour spontané"],
                     "FAMILY": ["famille"], "PUBLIC": ["public"], "OTHER": ["autre"]},
        "channel": {"PHONE": ["téléphone"], "CHAT": ["chat"], "EMAIL": ["e-mail"],
                    "SMS": ["sms"], "SOCIAL_MEDIA": ["réseaux sociaux"],
                    "IN_PERSON": ["en personne"]},
        "contact_type": {"CASE_RELATED": ["dossier"], "INFORMATION": ["information"],
                         "SILENT": ["silencieux"], "PRANK": ["blague"],
                         "ABUSIVE": ["injurieux"], "WRONG_NUMBER": ["faux numéro"],
                         "OTHER": ["autre"]},
    },
    "DE-IVK": {
        "category": {
            "RUNAWAY": ["Ausreißer", "weggelaufen"],
            "PARENTAL_ABDUCTION": ["Kindesentziehung"],
            "CRIMINAL_ABDUCTION": ["Entführung durch Dritte"],
            "MISSING_MIGRANT": ["vermisster unbegleiteter minderjähriger Flüchtling"],
            "LOST_INJURED": ["verlaufen/verletzt"],
            "OTHERWISE_MISSING": ["vermisst, unbekannter Grund"],
        },
        "child_gender": {"FEMALE": ["w"], "MALE": ["m"], "OTHER": ["d"]},
        "bool": {True: ["ja"], False: ["nein"]},
        "outcome": {"FOUND": ["gefunden"], "FOUND_DECEASED": ["tot aufgefunden"],
                    "NOT_FOUND": ["nicht gefunden"], "UNKNOWN": ["unbekannt"]},
        "found_by": {"POLICE": ["Polizei"], "OWN_ACCORD": ["selbst zurückgekehrt"],
                     "FAMILY": ["Familie"], "PUBLIC": ["Öffentlichkeit"], "OTHER": ["Sonstige"]},
        "channel": {"PHONE": ["Telefon"], "EMAIL": ["E-Mail"], "CHAT": ["Chat"],
                    "SMS": ["SMS"], "APP": ["App"], "IN_PERSON": ["persönlich"]},
        "contact_type": {"CASE_RELATED": ["fallbezogen"], "INFORMATION": ["allgemeine Auskünfte"],
                         "SILENT": ["Schweigeanruf"], "PRANK": ["Scherzanruf"],
                         "ABUSIVE": ["beleidigend"], "WRONG_NUMBER": ["falsch verbunden"],
                         "OTHER": ["Sonstiges"]},
    },
    "IT-TA": {
        "category": {
            "RUNAWAY": ["allontanamento volontario", "fuga"],
            "PARENTAL_ABDUCTION": ["sottrazione internazionale", "sottrazione nazionale"],
            "CRIMINAL_ABDUCTION": ["rapimento da parte di terzi"],
            "MISSING_MIGRANT": ["minore straniero non accompagnato scomparso"],
            "LOST_INJURED": ["smarrito/ferito"],
            "OTHERWISE_MISSING": ["scomparsa, motivo sconosciuto"],
        },
        "child_gender": {"FEMALE": ["femmina"], "MALE": ["maschio"], "OTHER": ["altro"]},
        "bool": {True: ["sì", "si"], False: ["no"]},
        "outcome": {"FOUND": ["ritrovato"], "FOUND_DECEASED": ["ritrovato deceduto"],
                    "NOT_FOUND": ["non ritrovato"], "UNKNOWN": ["sconosciuto"]},
        "found_by": {"POLICE": ["polizia", "carabinieri"], "OWN_ACCORD": ["rientro spontaneo"],
                     "FAMILY": ["famiglia"], "PUBLIC": ["cittadini"], "OTHER": ["altro"]},
        "channel": {"PHONE": ["telefono"], "CHAT": ["chat"], "EMAIL": ["email"],
                    "APP": ["app"], "SOCIAL_MEDIA": ["social"], "IN_PERSON": ["di persona"]},
        "contact_type": {"CASE_RELATED": ["caso"], "INFORMATION": ["informazione"],
                         "SILENT": ["silenziosa"], "PRANK": ["scherzo"], "ABUSIVE": ["offensiva"],
                         "WRONG_NUMBER": ["numero errato"], "OTHER": ["altro"]},
    },
    "FR-FPE": {
        "category": {
            "RUNAWAY": ["fugue", "départ volontaire"],
            "PARENTAL_ABDUCTION": ["enlèvement parental", "enlèvement parental international"],
            "CRIMINAL_ABDUCTION": ["enlèvement par un tiers"],
            "MISSING_MIGRANT": ["mineur non accompagné disparu"],
            "LOST_INJURED": ["perdu/blessé"],
            "OTHERWISE_MISSING": ["disparition inexpliquée"],
        },
        "child_gender": {"FEMALE": ["fille"], "MALE": ["garçon"], "OTHER": ["autre"]},
        "bool": {True: ["oui"], False: ["non"]},
        "outcome": {"FOUND": ["retrouvé"], "FOUND_DECEASED": ["retrouvé décédé"],
                    "NOT_FOUND": ["non retrouvé"], "UNKNOWN": ["inconnue"]},
        "found_by": {"POLICE": ["police", "gendarmerie"], "OWN_ACCORD": ["retour de lui-même"],
                     "FAMILY": ["famille"], "PUBLIC": ["témoin"], "OTHER": ["autre"]},
        "channel": {"PHONE": ["téléphone"], "EMAIL": ["courriel"], "CHAT": ["tchat"],
                    "SOCIAL_MEDIA": ["réseaux sociaux"]},
        "contact_type": {"CASE_RELATED": ["signalement"], "INFORMATION": ["demande d'information"],
                         "SILENT": ["appel muet"], "PRANK": ["canular"], "ABUSIVE": ["malveillant"],
                         "WRONG_NUMBER": ["erreur de numéro"], "OTHER": ["autre"]},
    },
    "ES-ANAR": {
        "category": {
            "RUNAWAY": ["fuga del hogar", "fuga de centro"],
            "PARENTAL_ABDUCTION": ["sustracción parental"],
            "CRIMINAL_ABDUCTION": ["secuestro por terceros"],
            "MISSING_MIGRANT": ["menor extranjero no acompañado desaparecido"],
            "LOST_INJURED": ["extraviado/lesionado"],
            "OTHERWISE_MISSING": ["desaparición sin causa conocida"],
        },
        "child_gender": {"FEMALE": ["mujer"], "MALE": ["varón"], "OTHER": ["otro"]},
        "bool": {True: ["sí", "si"], False: ["no"]},
        "violence": {True: ["1"], False: ["0"]},
        "outcome": {"FOUND": ["localizado"], "FOUND_DECEASED": ["localizado sin vida"],
                    "NOT_FOUND": ["no localizado"], "UNKNOWN": ["desconocido"]},
        "found_by": {"POLICE": ["policía nacional", "guardia civil", "mossos"],
                     "OWN_ACCORD": ["regreso voluntario"], "FAMILY": ["familia"],
                     "PUBLIC": ["ciudadanía"], "OTHER": ["otro"]},
        "channel": {"PHONE": ["teléfono"], "CHAT": ["chat"], "EMAIL": ["email"], "APP": ["app"],
                    "IN_PERSON": ["presencial"]},
        "contact_type": {"CASE_RELATED": ["caso"], "INFORMATION": ["orientación"],
                         "SILENT": ["llamada silenciosa"], "PRANK": ["broma"], "ABUSIVE": ["abusiva"],
                         "WRONG_NUMBER": ["número equivocado"], "OTHER": ["otro"]},
    },
    "PT-IAC": {
        "category": {
            "RUNAWAY": ["fuga"],
            "PARENTAL_ABDUCTION": ["rapto parental"],
            "CRIMINAL_ABDUCTION": ["rapto por terceiros"],
            "MISSING_MIGRANT": ["criança migrante não acompanhada desaparecida"],
            "LOST_INJURED": ["perdida/ferida"],
            "OTHERWISE_MISSING": ["desaparecimento de causa desconhecida"],
        },
        "child_gender": {"FEMALE": ["feminino"], "MALE": ["masculino"], "OTHER": ["outro"]},
        "bool": {True: ["sim"], False: ["não"]},
        "outcome": {"FOUND": ["localizada"], "FOUND_DECEASED": ["localizada sem vida"],
                    "NOT_FOUND": ["não localizada"], "UNKNOWN": ["desconhecido"]},
        "found_by": {"POLICE": ["PSP", "GNR", "PJ"], "OWN_ACCORD": ["regresso voluntário"],
                     "FAMILY": ["família"], "PUBLIC": ["cidadão"], "OTHER": ["outro"]},
        "channel": {"PHONE": ["telefone"], "EMAIL": ["email"], "CHAT": ["chat"],
                    "IN_PERSON": ["presencial"]},
        "contact_type": {"CASE_RELATED": ["caso"], "INFORMATION": ["informação"],
                         "SILENT": ["silenciosa"], "PRANK": ["brincadeira"], "ABUSIVE": ["abusiva"],
                         "WRONG_NUMBER": ["engano"], "OTHER": ["outro"]},
    },
}


def local_map(member, vocab_key):
    """local code -> canonical value, in a stable order (the order of the vocabulary)."""
    out = {}
    for canonical, locals_ in VOCAB[member][vocab_key].items():
        for code in locals_:
            out[code] = canonical
    return out


def say(rng, member, vocab_key, canonical, synonym_rate=0.15):
    """The local code a member writes for a canonical value (sometimes a synonym)."""
    options = VOCAB[member][vocab_key][canonical]
    if len(options) > 1 and rng.random() < synonym_rate:
        return options[1 + rng.randrange(len(options) - 1)]
    return options[0]


# ---------------------------------------------------------------------------------------------
# Synthetic names and remarks (personal-looking on purpose: the mappings must never read them)
# ---------------------------------------------------------------------------------------------

NAMES = {
    "BE-CF": (["Léa", "Emma", "Louise", "Chloé", "Inès", "Jade", "Zoé", "Amira"],
              ["Lucas", "Noah", "Louis", "Adam", "Mathis", "Hugo", "Nathan", "Yanis"],
              ["Dubois", "Lambert", "Peeters", "Martin", "Dupont", "Leroy", "Jacobs", "Renard",
               "Mertens", "Lejeune", "Hermans", "Simon"]),
    "DE-IVK": (["Lena", "Mia", "Hannah", "Sophie", "Lea", "Emily", "Jülide", "Zoë", "Mübeccel"],
               ["Jonas", "Leon", "Paul", "Finn", "Elias", "Ben", "Jörg", "Björn"],
               ["Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Meyer", "Wagner", "Becker",
                "Schäfer", "Koch", "Groß", "Öztürk"]),
    "IT-TA": (["Giulia", "Sofia", "Aurora", "Ginevra", "Alice", "Chiara", "Beatrice"],
              ["Leonardo", "Francesco", "Lorenzo", "Mattia", "Niccolò", "Gabriele", "Tommaso"],
              ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
               "Marino", "Greco", "De Luca", "Conti"]),
    "FR-FPE": (["Manon", "Camille", "Océane", "Maëlys", "Anaïs", "Clémence", "Lina"],
               ["Théo", "Enzo", "Raphaël", "Maël", "Noé", "Kylian", "Sacha"],
               ["Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Moreau", "Lefèvre",
                "Garnier", "Faure", "Rousseau", "Benoît"]),
    "ES-ANAR": (["Lucía", "Martina", "María", "Paula", "Valeria", "Daniela", "Noelia"],
                ["Hugo", "Martín", "Pablo", "Álvaro", "Alejandro", "Iñaki", "Adrián"],
                ["García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez",
                 "Pérez", "Gómez", "Muñoz", "Díaz", "Ibáñez"]),
    "PT-IAC": (["Beatriz", "Leonor", "Matilde", "Inês", "Mariana", "Constança"],
               ["João", "Rodrigo", "Martim", "Tomás", "Gonçalo", "Simão"],
               ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues",
                "Gonçalves", "Conceição", "Magalhães"]),
}

REMARKS = {
    "BE-CF": ["Appel de la mère, très inquiète.", "Signalement par l'école & la police locale.",
              "Déjà fugué en 2024 ; suivi par le SAJ.", "Contact avec le parent à l'étranger.",
              "Dossier transmis au parquet.", "Vu à la gare du Midi selon un témoin.",
              "Affiche diffusée <réseaux sociaux>.", "L'enfant a rappelé lui-même."],
    "DE-IVK": ["Mutter meldet sich täglich; Schule informiert",
               "Vater hat das Kind nach \u201eUmgangswochenende\u201c nicht zurückgebracht",
               "Hinweis über Chat; Polizei eingeschaltet",
               "Jugendamt informiert", "laut Freundin \"bald zurück\"; kein Handy",
               "Suchmeldung geteilt", "zweites Verschwinden dieses Jahr", "Rückruf vereinbart"],
    "IT-TA": ["La madre chiama ogni giorno.", "Segnalazione della scuola.",
              "Già allontanato in passato; servizi sociali informati.",
              "Contatto con l'autorità centrale per la sottrazione.", "Avvistato in stazione.",
              "Appello diffuso sui social.", "Il minore ha richiamato il 116 000."],
    "FR-FPE": ["Appel du père ; la mère est injoignable.", "Signalée par le foyer « ASE ».",
               "Message reçu par tchat 💬 à 2 h du matin.", "Vue à la gare de Lyon, selon une amie.",
               "Plainte déposée au commissariat.", "L'enfant a rappelé : « je vais bien »."],
    "ES-ANAR": ["La madre llama a diario.", "Aviso del colegio; se informa a la policía.",
                "Ya se fugó en 2024 del centro de menores.", "Contacto con la autoridad central.",
                "Difusión en redes sociales — sin respuesta.", "El menor volvió a llamar al 116 000."],
    "PT-IAC": ["A mãe telefona todos os dias.", "Sinalização da escola & da CPCJ.",
               "Já fugiu em 2024; acompanhado pela CPCJ.", "Contacto com a autoridade central <Haia>.",
               "Visto na estação de Santa Apolónia.", "A criança voltou a ligar."],
}

DESTINATIONS = {
    "BE-CF": ["FR", "NL", "DE", "MA", "ES", "GB", "LU"],
    "DE-IVK": ["PL", "AT", "TR", "FR", "NL", "CH", "RO"],
    "IT-TA": ["RO", "FR", "AL", "MA", "DE", "ES", "CH"],
    "FR-FPE": ["BE", "ES", "DZ", "MA", "DE", "IT", "GB"],
    "ES-ANAR": ["MA", "FR", "PT", "RO", "CO", "EC", "AR"],
    "PT-IAC": ["ES", "FR", "BR", "GB", "CH", "AO", "LU"],
}


# ---------------------------------------------------------------------------------------------
# Ground truth: canonical cases drawn with the domain's proportions
# ---------------------------------------------------------------------------------------------

AGE_WEIGHTS = {  # age -> weight; peaks: runaway 15, parental 6, migrant 13 (domain.md)
    "RUNAWAY": {11: 2, 12: 5, 13: 10, 14: 18, 15: 26, 16: 22, 17: 14},
    "PARENTAL_ABDUCTION": {0: 3, 1: 4, 2: 6, 3: 8, 4: 10, 5: 12, 6: 14, 7: 12, 8: 10, 9: 8,
                           10: 6, 11: 4, 12: 3, 13: 2, 14: 1},
    "MISSING_MIGRANT": {10: 2, 11: 4, 12: 8, 13: 20, 14: 9, 15: 7, 16: 5, 17: 4},
    "CRIMINAL_ABDUCTION": {4: 1, 7: 1, 9: 1, 12: 1, 14: 1, 16: 1},
    "LOST_INJURED": {3: 2, 4: 3, 5: 3, 6: 3, 7: 2, 8: 2, 9: 1, 10: 1, 12: 1, 14: 1},
    "OTHERWISE_MISSING": {a: (1 + (a >= 12) * 3) for a in range(4, 18)},
}
OUTCOME_WEIGHTS = {  # FOUND, FOUND_DECEASED, NOT_FOUND, UNKNOWN
    "RUNAWAY": (62, 0.5, 24, 14),
    "PARENTAL_ABDUCTION": (30, 0, 56, 14),
    "MISSING_MIGRANT": (15, 0, 72, 13),
    "CRIMINAL_ABDUCTION": (70, 0, 30, 0),
    "LOST_INJURED": (90, 0, 5, 5),
    "OTHERWISE_MISSING": (50, 1, 35, 14),
}
CROSS_BORDER_RATE = {"RUNAWAY": 0.05, "PARENTAL_ABDUCTION": 0.42, "MISSING_MIGRANT": 0.45,
                     "CRIMINAL_ABDUCTION": 0.3, "LOST_INJURED": 0.0, "OTHERWISE_MISSING": 0.06}
REPEAT_RATE = {"RUNAWAY": 0.46, "MISSING_MIGRANT": 0.15}
VIOLENCE_RATE = {"RUNAWAY": 0.30, "PARENTAL_ABDUCTION": 0.14, "MISSING_MIGRANT": 0.30,
                 "CRIMINAL_ABDUCTION": 0.5}


def wchoice(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def category_quota(n):
    """Categories for n cases in realistic shares, at least one criminal abduction."""
    counts = {
        "CRIMINAL_ABDUCTION": max(1, round(n * 0.007)),
        "MISSING_MIGRANT": round(n * 0.05),
        "LOST_INJURED": max(1, round(n * 0.02)),
        "PARENTAL_ABDUCTION": round(n * 0.22),
        "RUNAWAY": round(n * 0.575),
    }
    counts["OTHERWISE_MISSING"] = n - sum(counts.values())
    out = []
    for cat in CATEGORIES:
        out += [cat] * counts[cat]
    return out


def draw_case(rng, member, category, opened):
    c = {"category": category, "opened_on": opened, "child_id": 1}
    c["child_age"] = wchoice(rng, AGE_WEIGHTS[category]) if rng.random() > 0.03 else None
    female = 0.6 if category == "RUNAWAY" else (0.3 if category == "MISSING_MIGRANT" else 0.5)
    r = rng.random()
    c["child_gender"] = (None if r < 0.03 else "OTHER" if r < 0.04 else
                         "FEMALE" if rng.random() < female else "MALE")
    cb = rng.random() < CROSS_BORDER_RATE[category]
    c["cross_border"] = None if rng.random() < 0.05 else cb
    c["destination_country"] = (rng.choice(DESTINATIONS[member])
                                if c["cross_border"] and rng.random() < 0.85 else None)
    c["repeat_missing"] = (None if rng.random() < 0.05 else
                           rng.random() < REPEAT_RATE.get(category, 0.08))
    c["violence_experienced"] = (None if rng.random() < 0.08 else
                                 rng.random() < VIOLENCE_RATE.get(category, 0.10))
    weights = dict(zip(["FOUND", "FOUND_DECEASED", "NOT_FOUND", "UNKNOWN"],
                       OUTCOME_WEIGHTS[category]))
    if opened.year < YEAR:  # still open from last year: less often found
        weights["FOUND"] /= 2
    outcome = wchoice(rng, weights)
    c["outcome"] = None if outcome == "UNKNOWN" and rng.random() < 0.5 else outcome
    c["found_by"] = c["days_missing"] = c["closed_on"] = None
    if outcome in ("FOUND", "FOUND_DECEASED"):
        if rng.random() > 0.08:
            c["found_by"] = wchoice(rng, {"POLICE": 40, "OWN_ACCORD": 30, "FAMILY": 15,
                                          "PUBLIC": 10, "OTHER": 5})
        r = rng.random()
        if category == "RUNAWAY":
            days = rng.randint(0, 6) if r < 0.78 else rng.randint(7, 30) if r < 0.93 else rng.randint(31, 120)
        elif category == "PARENTAL_ABDUCTION":
            days = rng.randint(2, 30) if r < 0.4 else rng.randint(31, 300)
        elif category == "LOST_INJURED":
            days = rng.randint(0, 1)
        else:
            days = rng.randint(0, 14) if r < 0.7 else rng.randint(15, 200)
        if opened.year < YEAR:
            days += (dt.date(YEAR, 1, 1) - opened).days  # found this year
        c["days_missing"] = days if rng.random() > 0.07 else None
        closed = opened + dt.timedelta(days=days + rng.randint(0, 4))
        if closed.year == YEAR and rng.random() > 0.1:
            c["closed_on"] = closed
    c["first_channel"] = (None if rng.random() < 0.08 else
                          wchoice(rng, {"PHONE": 70, "EMAIL": 9, "CHAT": 12, "SMS": 2,
                                        "IN_PERSON": 4, "APP": 2, "SOCIAL_MEDIA": 1}))
    c["_name"] = f"{first_name(rng, member, c['child_gender'])} {rng.choice(NAMES[member][2])}"
    c["_remark"] = rng.choice(REMARKS[member]) if rng.random() < 0.6 else None
    return c


def first_name(rng, member, gender):
    girls, boys, _ = NAMES[member]
    pool = girls if gender == "FEMALE" else boys if gender == "MALE" else girls + boys
    return rng.choice(pool)


def draw_cases(rng, member, n, ongoing_rate=0.13):
    cats = category_quota(n)
    rng.shuffle(cats)
    cases = []
    for cat in cats:
        if cat != "LOST_INJURED" and rng.random() < ongoing_rate:
            opened = dt.date(YEAR - 1, 3, 1) + dt.timedelta(days=rng.randint(0, 305))
        else:
            opened = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        cases.append(draw_case(rng, member, cat, opened))
    cases.sort(key=lambda c: (c["opened_on"], c["category"], c["_name"]))
    return cases


def number_cases(cases, fmt):
    seq = {}
    for c in cases:
        y = c["opened_on"].year
        seq[y] = seq.get(y, 0) + 1
        c["case_id"] = fmt(y, seq[y])


def restrict_member_channels(member, cases):
    allowed = set(VOCAB[member]["channel"])
    for c in cases:
        if c["first_channel"] is not None and c["first_channel"] not in allowed:
            c["first_channel"] = "PHONE"


def pick(cases, pred, start=0):
    """Index of the first case at or after `start` that satisfies pred."""
    for i in range(start, len(cases)):
        if pred(cases[i]):
            return i
    raise AssertionError("no case fits")


def plain_single(c):
    return c.get("child_id", 1) == 1 and not c.get("_sibling") and not c.get("_bad")


def make_bad(c, field, reason, raw):
    c["_bad"] = (field, reason)
    c["_raw"] = {field: raw}


# ---------------------------------------------------------------------------------------------
# Contacts ground truth
# ---------------------------------------------------------------------------------------------

SEASON = [0.9, 0.85, 0.95, 1.0, 1.05, 1.1, 1.25, 1.2, 1.0, 0.95, 0.9, 0.85]
CONTACT_BASE = {  # (channel, type) -> typical monthly count
    ("PHONE", "CASE_RELATED"): 95, ("PHONE", "INFORMATION"): 210, ("PHONE", "SILENT"): 140,
    ("PHONE", "PRANK"): 70,
    ("CHAT", "CASE_RELATED"): 14, ("CHAT", "INFORMATION"): 38, ("CHAT", "SILENT"): 6,
    ("CHAT", "PRANK"): 4,
    ("EMAIL", "CASE_RELATED"): 9, ("EMAIL", "INFORMATION"): 22, ("EMAIL", "SILENT"): 0,
    ("EMAIL", "PRANK"): 1,
    ("APP", "CASE_RELATED"): 5, ("APP", "INFORMATION"): 12,
    ("SOCIAL_MEDIA", "CASE_RELATED"): 2, ("SOCIAL_MEDIA", "INFORMATION"): 6,
}


def draw_contacts(rng, channels, types, scale):
    rows = []
    for month in range(1, 13):
        for ch in channels:
            for ty in types:
                base = CONTACT_BASE[(ch, ty)] * scale * SEASON[month - 1]
                n = 0 if base == 0 else max(0, round(base * rng.uniform(0.8, 1.2)))
                rows.append({"month": month, "channel": ch, "contact_type": ty, "count": n})
    return rows


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------

def write_bytes(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def raw_of(c, field, default):
    """The raw override of a bad record's field, if any, else `default`."""
    return c.get("_raw", {}).get(field, default)


BE_NS = "urn:example:childfocus:dossiers:1"
BE_NS_CONTACTS = "urn:example:childfocus:contacts:1"


def write_be(rng, cases, contacts):
    m = "BE-CF"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             "<!-- Child Focus: export annuel des dossiers. DONNEES SYNTHETIQUES (hotline-etl samples) -->",
             f'<cf:export xmlns:cf="{BE_NS}" annee="{YEAR}" version="3.2" genere-le="{YEAR + 1}-01-14">',
             "  <cf:emetteur>Child Focus (exemple synthétique)</cf:emetteur>",
             "  <cf:dossiers>"]

    def el(name, text):
        if text is MISSING or text is None:
            return
        lines.append(f"      <cf:{name}>{escape(text)}</cf:{name}>" if text != "" else f"      <cf:{name}/>")

    def yn(v):
        return None if v is None else VOCAB[m]["bool"][v][0]

    for c in cases:
        lines.append(f'    <cf:dossier id={quoteattr(c["case_id"])}>')
        el("ouverture", raw_of(c, "opened_on", c["opened_on"].isoformat()))
        el("cloture", c["closed_on"].isoformat() if c["closed_on"] else None)
        el("categorie", raw_of(c, "category", say(rng, m, "category", c["category"])))
        attrs = ""
        if c["child_age"] is not None:
            attrs += f' age="{c["child_age"]}"'
        if c["child_gender"] is not None:
            attrs += f' sexe="{say(rng, m, "child_gender", c["child_gender"])}"'
        lines.append(f"      <cf:enfant{attrs}/>")
        el("nom", c["_name"])
        el("frontière", yn(c["cross_border"]))
        el("pays-destination", c["destination_country"])
        el("recidive", yn(c["repeat_missing"]))
        # violence: an empty element when not recorded, to exercise null_values [""]
        el("violence", "" if c["violence_experienced"] is None else yn(c["violence_experienced"]))
        el("issue", None if c["outcome"] is None else say(rng, m, "outcome", c["outcome"]))
        el("trouve-par", None if c["found_by"] is None else say(rng, m, "found_by", c["found_by"]))
        el("jours-disparition", None if c["days_missing"] is None else str(c["days_missing"]))
        el("canal", None if c["first_channel"] is None else say(rng, m, "channel", c["first_channel"]))
        if c["_remark"] is not None:
            if rng.random() < 0.3:
                lines.append(f"      <cf:remarque><![CDATA[{c['_remark']}]]></cf:remarque>")
            else:
                el("remarque", c["_remark"])
        lines.append("    </cf:dossier>")
    lines += ["  </cf:dossiers>", "</cf:export>", ""]
    write_bytes("be-cf/dossiers-2025.xml", "\n".join(lines).encode("utf-8"))

    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<contacts xmlns="{BE_NS_CONTACTS}" annee="{YEAR}">',
             "  <!-- un enregistrement par mois, canal et type de contact (synthétique) -->"]
    for r in contacts:
        lines.append(f'  <ligne mois="{r["month"]:02d}">'
                     f'<canal>{escape(say(rng, m, "channel", r["channel"]))}</canal>'
                     f'<type>{escape(say(rng, m, "contact_type", r["contact_type"]))}</type>'
                     f'<nombre>{r["count"]}</nombre></ligne>')
    lines += ["</contacts>", ""]
    write_bytes("be-cf/contacts-2025.xml", "\n".join(lines).encode("utf-8"))


DE_HEADER = ["Fallnummer", "Kind-Nr", "Eröffnet", "Abgeschlossen", "Kategorie",
             "Grenzüberschreitend", "Zielland", "Alter", "Geschlecht", "Wiederholt vermisst",
             "Gewalterfahrung", "Ergebnis", "Gefunden durch", "Tage vermisst", "Erstkontakt",
             "Vorname", "Bemerkung"]


def csv_line(values, delimiter=";"):
    out = []
    for v in values:
        if any(ch in v for ch in delimiter + '"\r\n'):
            v = '"' + v.replace('"', '""') + '"'
        out.append(v)
    return delimiter.join(out) + "\r\n"


def write_de(rng, rows, contacts):
    m = "DE-IVK"
    text = csv_line(DE_HEADER)
    line = 2
    for c in rows:
        c["_record"] = line

        def empty(v, blank):
            return blank if v is None else v

        blank = "-" if rng.random() < 0.5 else ""
        yn = lambda v: empty(None if v is None else VOCAB[m]["bool"][v][0], blank)
        gender = "" if c["child_gender"] is None else say(rng, m, "child_gender", c["child_gender"])
        dest = c["destination_country"] or ""
        if dest and rng.random() < 0.2:
            dest = dest.lower()  # the member sometimes types country codes in lower case
        row = [
            c["case_id"], str(c["child_id"]),
            raw_of(c, "opened_on", c["opened_on"].strftime("%d.%m.%Y")),
            c["closed_on"].strftime("%d.%m.%Y") if c["closed_on"] else "",
            raw_of(c, "category", say(rng, m, "category", c["category"])),
            yn(c["cross_border"]), dest,
            raw_of(c, "child_age", empty(None if c["child_age"] is None else str(c["child_age"]), "")),
            gender, yn(c["repeat_missing"]), yn(c["violence_experienced"]),
            "" if c["outcome"] is None else say(rng, m, "outcome", c["outcome"]),
            "" if c["found_by"] is None else say(rng, m, "found_by", c["found_by"]),
            empty(None if c["days_missing"] is None else str(c["days_missing"]), blank),
            "" if c["first_channel"] is None else say(rng, m, "channel", c["first_channel"]),
            c["_name"].split(" ")[0], c.get("_remark_raw", c["_remark"] or ""),
        ]
        chunk = csv_line(row)
        text += chunk
        # physical lines: one per CRLF plus any line break inside a quoted field
        line += chunk.count("\n")
    write_bytes("de-ivk/faelle-2025.csv.gz", gz(text.encode("cp1252")))

    text = csv_line(["Monat", "Kanal", "Kontaktart", "Anzahl"])
    for r in contacts:
        text += csv_line([f"{r['month']:02d}", say(rng, m, "channel", r["channel"]),
                          say(rng, m, "contact_type", r["contact_type"]), str(r["count"])])
    write_bytes("de-ivk/kontakte-2025.csv.gz", gz(text.encode("cp1252")))


def write_it(rng, cases, contacts):
    m = "IT-TA"
    records = []
    for c in cases:
        yn = lambda v: None if v is None else say(rng, m, "bool", v, synonym_rate=0.2)
        rec = {"id": c["case_id"]}
        opened = raw_of(c, "opened_on", c["opened_on"].isoformat())
        if opened is not MISSING:
            rec["apertura"] = opened
        cat = raw_of(c, "category", say(rng, m, "category", c["category"]))
        if cat is not MISSING:
            rec["categoria"] = cat
        gender = None if c["child_gender"] is None else say(rng, m, "child_gender", c["child_gender"])
        if c.get("_pad_gender") and gender:
            gender += " "  # trailing space: keys are compared after trimming
        rec["minore"] = {"nome": c["_name"].split(" ")[0], "cognome": c["_name"].split(" ", 1)[1],
                         "eta": raw_of(c, "child_age", c["child_age"]), "genere": gender}
        rec["transfrontaliero"] = yn(c["cross_border"])
        rec["paese_destinazione"] = c["destination_country"]
        rec["recidiva"] = yn(c["repeat_missing"])
        rec["violenza"] = c["violence_experienced"]  # JSON true/false/null, no map needed
        if c["outcome"] is None and c["found_by"] is None and c["closed_on"] is None and rng.random() < 0.5:
            rec["esito"] = None
        else:
            rec["esito"] = {
                "stato": None if c["outcome"] is None else say(rng, m, "outcome", c["outcome"]),
                "trovato_da": None if c["found_by"] is None else say(rng, m, "found_by", c["found_by"]),
                "giorni": raw_of(c, "days_missing", c["days_missing"]),
                "chiusura": c["closed_on"].isoformat() if c["closed_on"] else None,
            }
        rec["primo_contatto"] = {"canale": None if c["first_channel"] is None else
                                 say(rng, m, "channel", c["first_channel"]),
                                 "operatore": f"op-{rng.randint(1, 40):02d}"}
        rec["note"] = c["_remark"]
        rec["segnalazioni"] = [{"data": c["opened_on"].isoformat(), "fonte": rng.choice(["madre", "padre", "scuola", "comunità"])}]
        records.append(rec)
    doc = {"ente": "Telefono Azzurro (esempio sintetico)", "anno": YEAR, "versione_formato": "2.1",
           "generato_il": f"{YEAR + 1}-01-20", "n_dossier": len(records), "dossiers": records}
    write_bytes("it-ta/casi-2025.json", (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))

    doc = {"anno": YEAR, "contatti": [
        {"mese": r["month"], "canale": say(rng, m, "channel", r["channel"]),
         "tipo": say(rng, m, "contact_type", r["contact_type"]), "numero": r["count"]}
        for r in contacts]}
    write_bytes("it-ta/contatti-2025.json", (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


FR_HEADER = ["N° dossier", "Date d'ouverture", "Date de clôture", "Catégorie", "Transfrontalier",
             "Pays de destination", "Âge", "Sexe", "Récidive", "Violences subies", "Issue",
             "Retrouvé par", "Jours de disparition", "Premier contact", "Prénom", "Commentaire"]


def utf16(text):
    """Excel's "Texte Unicode" export: UTF-16 little endian with a byte order mark."""
    return b"\xff\xfe" + text.encode("utf-16-le")


def write_fr(rng, cases, contacts):
    m = "FR-FPE"
    text = csv_line(FR_HEADER, "\t")
    line = 2
    for c in cases:
        c["_record"] = line
        yn = lambda v: "NR" if v is None else VOCAB[m]["bool"][v][0]
        row = [
            c["case_id"],
            raw_of(c, "opened_on", c["opened_on"].strftime("%d/%m/%Y")),
            c["closed_on"].strftime("%d/%m/%Y") if c["closed_on"] else "",
            say(rng, m, "category", c["category"]),
            raw_of(c, "cross_border", yn(c["cross_border"])), c["destination_country"] or "",
            "NR" if c["child_age"] is None else str(c["child_age"]),
            "" if c["child_gender"] is None else say(rng, m, "child_gender", c["child_gender"]),
            yn(c["repeat_missing"]), yn(c["violence_experienced"]),
            "" if c["outcome"] is None else say(rng, m, "outcome", c["outcome"]),
            "" if c["found_by"] is None else say(rng, m, "found_by", c["found_by"]),
            "" if c["days_missing"] is None else str(c["days_missing"]),
            "" if c["first_channel"] is None else say(rng, m, "channel", c["first_channel"]),
            c["_name"].split(" ")[0], c.get("_remark_raw", c["_remark"] or ""),
        ]
        chunk = csv_line(row, "\t")
        text += chunk
        line += chunk.count("\n")
    write_bytes("fr-fpe/signalements-2025.csv", utf16(text))

    text = csv_line(["Mois", "Canal", "Type d'appel", "Nombre"], "\t")
    for r in contacts:
        text += csv_line([str(r["month"]), say(rng, m, "channel", r["channel"]),
                          say(rng, m, "contact_type", r["contact_type"]), str(r["count"])], "\t")
    write_bytes("fr-fpe/appels-2025.csv", utf16(text))


def write_es(rng, cases, contacts):
    m = "ES-ANAR"
    lines = []
    for c in cases:
        yn = lambda v: None if v is None else say(rng, m, "bool", v, synonym_rate=0.25)
        opened = c["opened_on"].isoformat() if rng.random() > 0.12 else c["opened_on"].strftime("%d/%m/%Y")
        rec = {"expediente": c["case_id"], "fecha_apertura": raw_of(c, "opened_on", opened)}
        if c["closed_on"]:
            rec["fecha_cierre"] = c["closed_on"].isoformat()
        rec["tipologia"] = raw_of(c, "category", say(rng, m, "category", c["category"]))
        rec["menor"] = {"nombre": c["_name"], "edad": raw_of(c, "child_age", c["child_age"]),
                        "sexo": None if c["child_gender"] is None else say(rng, m, "child_gender", c["child_gender"])}
        rec["internacional"] = yn(c["cross_border"])
        if c["destination_country"]:
            rec["pais_destino"] = c["destination_country"]
        rec["reincidente"] = yn(c["repeat_missing"])
        # violence as 1/0 (a number), null when not recorded
        rec["violencia"] = None if c["violence_experienced"] is None else int(c["violence_experienced"])
        rec["resolucion"] = {
            "estado": None if c["outcome"] is None else say(rng, m, "outcome", c["outcome"]),
            "localizado_por": None if c["found_by"] is None else say(rng, m, "found_by", c["found_by"]),
            "dias": c["days_missing"],
        }
        rec["canal_entrada"] = None if c["first_channel"] is None else say(rng, m, "channel", c["first_channel"])
        rec["observaciones"] = c["_remark"]
        lines.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
    write_bytes("es-anar/casos-2025.ndjson", ("\n".join(lines) + "\n").encode("utf-8"))

    lines = [json.dumps({"mes": r["month"], "canal": say(rng, m, "channel", r["channel"]),
                         "tipo": say(rng, m, "contact_type", r["contact_type"]), "total": r["count"]},
                        ensure_ascii=False, separators=(",", ":"))
             for r in contacts]
    write_bytes("es-anar/contactos-2025.ndjson", ("\n".join(lines) + "\n").encode("utf-8"))


PT_NS = "urn:example:iac:processos:2"
PT_NS_CONTACTS = "urn:example:iac:contactos:1"


def gz_members(data, parts):
    """Several gzip members one after another (as `pigz` or appending exports write them)."""
    out, step = b"", -(-len(data) // parts)
    for k in range(0, len(data), step):
        out += gz(data[k:k + step])
    return out


def write_pt(rng, cases, contacts):
    m = "PT-IAC"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<iac:relatorio xmlns:iac="{PT_NS}" ano="{YEAR}">',
             "  <!-- Instituto de Apoio à Criança: processos do 116 000. DADOS SINTÉTICOS -->",
             "  <iac:processos>"]

    def el(name, text, indent="      "):
        if text is None or text is MISSING:
            return
        lines.append(f"{indent}<iac:{name}>{escape(text)}</iac:{name}>")

    def yn(v):
        return None if v is None else VOCAB[m]["bool"][v][0]

    for c in cases:
        lines.append(f'    <iac:processo numero={quoteattr(c["case_id"])} '
                     f'aberto={quoteattr(raw_of(c, "opened_on", c["opened_on"].isoformat()))}>')
        el("categoria", say(rng, m, "category", c["category"]))
        lines.append("      <iac:crianca>")
        el("nome", c["_name"], "        ")
        age = raw_of(c, "child_age", None if c["child_age"] is None else str(c["child_age"]))
        el("idade", age, "        ")
        el("sexo", None if c["child_gender"] is None else say(rng, m, "child_gender", c["child_gender"]), "        ")
        lines.append("      </iac:crianca>")
        el("transfronteirico", yn(c["cross_border"]))
        el("pais-destino", c["destination_country"])
        el("reincidente", yn(c["repeat_missing"]))
        el("violencia", yn(c["violence_experienced"]))
        attrs = ""
        if c["outcome"] is not None:
            attrs += f' estado={quoteattr(say(rng, m, "outcome", c["outcome"]))}'
        if c["found_by"] is not None:
            attrs += f' por={quoteattr(say(rng, m, "found_by", c["found_by"]))}'
        if c["days_missing"] is not None:
            attrs += f' dias="{c["days_missing"]}"'
        if c["closed_on"] is not None:
            attrs += f' encerrado="{c["closed_on"].isoformat()}"'
        lines.append(f"      <iac:desfecho{attrs}/>")
        el("canal", None if c["first_channel"] is None else say(rng, m, "channel", c["first_channel"]))
        el("observacoes", c["_remark"])
        lines.append("    </iac:processo>")
    lines += ["  </iac:processos>", "</iac:relatorio>", ""]
    write_bytes("pt-iac/processos-2025.xml.gz", gz_members("\n".join(lines).encode("utf-8"), 3))

    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<contactos xmlns="{PT_NS_CONTACTS}" ano="{YEAR}">']
    for r in contacts:
        lines.append(f'  <registo mes="{r["month"]}" canal={quoteattr(say(rng, m, "channel", r["channel"]))} '
                     f'tipo={quoteattr(say(rng, m, "contact_type", r["contact_type"]))} total="{r["count"]}"/>')
    lines += ["</contactos>", ""]
    write_bytes("pt-iac/contactos-2025.xml.gz", gz("\n".join(lines).encode("utf-8")))


# ---------------------------------------------------------------------------------------------
# Mapping specifications (rendered to pipelines/members/*.yaml and used by the self-check)
# ---------------------------------------------------------------------------------------------

def code_field(member, source, vocab_key, default=None):
    spec = {"from": source, "map": local_map(member, vocab_key)}
    if default:
        spec["default"] = default
    return spec


def bool_field(member, source):
    return {"from": source, "map": local_map(member, "bool")}


MAPPINGS = {
    "BE-CF": {
        "file": "be-cf.yaml",
        "header": [
            "Child Focus (Belgium), French-language case system. One XML export per year:",
            "dossiers as <cf:dossier id=\"...\"> elements (namespace urn:example:childfocus:dossiers:1)",
            "with the child's age and sex as attributes of <cf:enfant>, and monthly contact counts",
            "in a second XML file with a default namespace. <cf:nom> and <cf:remarque> are personal",
            "data and free text: they are deliberately not mapped (data minimisation).",
        ],
        "name": "Child Focus (synthetic sample)",
        "country": "BE",
        "submissions": [
            {"match": "be-cf/dossiers-*.xml", "kind": "cases", "format": "xml",
             "xml": {"record": "/cf:export/cf:dossiers/cf:dossier", "namespaces": {"cf": BE_NS}},
             "fields": {
                 "case_id": {"from": "@id"},
                 "opened_on": {"from": "cf:ouverture", "formats": ["yyyy-MM-dd"]},
                 "closed_on": {"from": "cf:cloture", "formats": ["yyyy-MM-dd"]},
                 "category": code_field("BE-CF", "cf:categorie", "category"),
                 "cross_border": bool_field("BE-CF", "cf:frontière"),
                 "destination_country": {"from": "cf:pays-destination"},
                 "repeat_missing": bool_field("BE-CF", "cf:recidive"),
                 "violence_experienced": bool_field("BE-CF", "cf:violence"),
                 "child_age": {"from": "cf:enfant/@age"},
                 "child_gender": code_field("BE-CF", "cf:enfant/@sexe", "child_gender", "UNKNOWN"),
                 "outcome": code_field("BE-CF", "cf:issue", "outcome", "UNKNOWN"),
                 "found_by": code_field("BE-CF", "cf:trouve-par", "found_by"),
                 "days_missing": {"from": "cf:jours-disparition"},
                 "first_channel": code_field("BE-CF", "cf:canal", "channel"),
             },
             "comments": {"case_id": "the dossier number, an attribute of the record element",
                          "child_id": None,
                          "child_age": "attributes of the nested <cf:enfant age=\"..\" sexe=\"..\"/>",
                          "child_gender": "X = neither (sexe neutre); absent when not recorded"}},
            {"match": "be-cf/contacts-*.xml", "kind": "contacts", "format": "xml",
             "xml": {"record": "/c:contacts/c:ligne", "namespaces": {"c": BE_NS_CONTACTS}},
             "comment": "default namespace in the document; the prefix c is ours, the URI is what matches",
             "fields": {
                 "month": {"from": "@mois"},
                 "channel": code_field("BE-CF", "c:canal", "channel"),
                 "contact_type": code_field("BE-CF", "c:type", "contact_type"),
                 "count": {"from": "c:nombre"},
             }},
        ],
    },
    "DE-IVK": {
        "file": "de-ivk.yaml",
        "header": [
            "Initiative Vermisste Kinder (Germany). Spreadsheet export: gzipped, semicolon-separated,",
            "Windows-1252, CRLF, dates dd.MM.yyyy, ja/nein, w/m/d, \"-\" or empty when not recorded.",
            "One row per child: a case with siblings has one row per child (Kind-Nr 1, 2, ...).",
            "Vorname and Bemerkung (free text) are never mapped (data minimisation).",
        ],
        "name": "Initiative Vermisste Kinder (synthetic sample)",
        "country": "DE",
        "submissions": [
            {"match": "de-ivk/faelle-*.csv.gz", "kind": "cases", "format": "csv",
             "csv": {"delimiter": ";", "encoding": "windows-1252", "header": True},
             "null_values": ["", "-"],
             "fields": {
                 "case_id": {"from": "Fallnummer"},
                 "child_id": {"from": "Kind-Nr"},
                 "opened_on": {"from": "Eröffnet", "formats": ["dd.MM.yyyy"]},
                 "closed_on": {"from": "Abgeschlossen", "formats": ["dd.MM.yyyy"]},
                 "category": code_field("DE-IVK", "Kategorie", "category"),
                 "cross_border": bool_field("DE-IVK", "Grenzüberschreitend"),
                 "destination_country": {"from": "Zielland"},
                 "repeat_missing": bool_field("DE-IVK", "Wiederholt vermisst"),
                 "violence_experienced": bool_field("DE-IVK", "Gewalterfahrung"),
                 "child_age": {"from": "Alter"},
                 "child_gender": code_field("DE-IVK", "Geschlecht", "child_gender", "UNKNOWN"),
                 "outcome": code_field("DE-IVK", "Ergebnis", "outcome", "UNKNOWN"),
                 "found_by": code_field("DE-IVK", "Gefunden durch", "found_by"),
                 "days_missing": {"from": "Tage vermisst"},
                 "first_channel": code_field("DE-IVK", "Erstkontakt", "channel"),
             },
             "comments": {"child_id": "1, 2, ... for each child of a case with several children",
                          "destination_country": "ISO alpha-2, sometimes typed in lower case",
                          "child_gender": "d = divers"}},
            {"match": "de-ivk/kontakte-*.csv.gz", "kind": "contacts", "format": "csv",
             "csv": {"delimiter": ";", "encoding": "windows-1252", "header": True},
             "fields": {
                 "month": {"from": "Monat"},
                 "channel": code_field("DE-IVK", "Kanal", "channel"),
                 "contact_type": code_field("DE-IVK", "Kontaktart", "contact_type"),
                 "count": {"from": "Anzahl"},
             }},
        ],
    },
    "IT-TA": {
        "file": "it-ta.yaml",
        "header": [
            "Telefono Azzurro (Italy). Web tool export: one JSON document per year with metadata and",
            "an array \"dossiers\" of nested objects (minore, esito, primo_contatto); numbers are JSON",
            "numbers, \"violenza\" a JSON boolean, null where not recorded. minore.nome, minore.cognome",
            "and note are personal data and free text: deliberately not mapped.",
        ],
        "name": "Telefono Azzurro (synthetic sample)",
        "country": "IT",
        "submissions": [
            {"match": "it-ta/casi-*.json", "kind": "cases", "format": "json",
             "json": {"records": "$.dossiers[*]"},
             "fields": {
                 "case_id": {"from": "id"},
                 "opened_on": {"from": "apertura", "formats": ["yyyy-MM-dd"]},
                 "closed_on": {"from": "esito.chiusura", "formats": ["yyyy-MM-dd"]},
                 "category": code_field("IT-TA", "categoria", "category"),
                 "cross_border": bool_field("IT-TA", "transfrontaliero"),
                 "destination_country": {"from": "paese_destinazione"},
                 "repeat_missing": bool_field("IT-TA", "recidiva"),
                 "violence_experienced": {"from": "violenza"},
                 "child_age": {"from": "minore.eta"},
                 "child_gender": code_field("IT-TA", "minore.genere", "child_gender", "UNKNOWN"),
                 "outcome": code_field("IT-TA", "esito.stato", "outcome", "UNKNOWN"),
                 "found_by": code_field("IT-TA", "esito.trovato_da", "found_by"),
                 "days_missing": {"from": "esito.giorni"},
                 "first_channel": code_field("IT-TA", "primo_contatto.canale", "channel"),
             },
             "comments": {"violence_experienced": "already a JSON true/false: no map needed",
                          "cross_border": "operators type sì or si",
                          "found_by": "carabinieri count as police"}},
            {"match": "it-ta/contatti-*.json", "kind": "contacts", "format": "json",
             "json": {"records": "$.contatti[*]"},
             "fields": {
                 "month": {"from": "mese"},
                 "channel": code_field("IT-TA", "canale", "channel"),
                 "contact_type": code_field("IT-TA", "tipo", "contact_type"),
                 "count": {"from": "numero"},
             }},
        ],
    },
}

MAPPINGS.update({
    "FR-FPE": {
        "file": "fr-fpe.yaml",
        "header": [
            "116 000 Enfants Disparus (France), run by the Fondation pour l'Enfance. Spreadsheet export",
            "saved as \"Texte Unicode\": UTF-16 little endian with a byte order mark, tab-separated, CRLF,",
            "dates dd/MM/yyyy, oui/non, \"NR\" (non renseigné) or empty when not recorded.",
            "Prénom and Commentaire (free text) are never mapped (data minimisation).",
        ],
        "name": "116 000 Enfants Disparus (synthetic sample)",
        "country": "FR",
        "submissions": [
            {"match": "fr-fpe/signalements-*.csv", "kind": "cases", "format": "csv",
             "csv": {"delimiter": "\t", "encoding": "utf-16", "header": True},
             "null_values": ["", "NR"],
             "fields": {
                 "case_id": {"from": "N° dossier"},
                 "opened_on": {"from": "Date d'ouverture", "formats": ["dd/MM/yyyy"]},
                 "closed_on": {"from": "Date de clôture", "formats": ["dd/MM/yyyy"]},
                 "category": code_field("FR-FPE", "Catégorie", "category"),
                 "cross_border": bool_field("FR-FPE", "Transfrontalier"),
                 "destination_country": {"from": "Pays de destination"},
                 "repeat_missing": bool_field("FR-FPE", "Récidive"),
                 "violence_experienced": bool_field("FR-FPE", "Violences subies"),
                 "child_age": {"from": "Âge"},
                 "child_gender": code_field("FR-FPE", "Sexe", "child_gender", "UNKNOWN"),
                 "outcome": code_field("FR-FPE", "Issue", "outcome", "UNKNOWN"),
                 "found_by": code_field("FR-FPE", "Retrouvé par", "found_by"),
                 "days_missing": {"from": "Jours de disparition"},
                 "first_channel": code_field("FR-FPE", "Premier contact", "channel"),
             },
             "comments": {"found_by": "the gendarmerie counts as police"}},
            {"match": "fr-fpe/appels-*.csv", "kind": "contacts", "format": "csv",
             "csv": {"delimiter": "\t", "encoding": "utf-16", "header": True},
             "fields": {
                 "month": {"from": "Mois"},
                 "channel": code_field("FR-FPE", "Canal", "channel"),
                 "contact_type": code_field("FR-FPE", "Type d'appel", "contact_type"),
                 "count": {"from": "Nombre"},
             }},
        ],
    },
    "ES-ANAR": {
        "file": "es-anar.yaml",
        "header": [
            "Fundación ANAR (Spain). Case system export as JSON lines (.ndjson): one object per line,",
            "the child nested under \"menor\" and the resolution under \"resolucion\"; dates mostly ISO,",
            "some typed as dd/MM/yyyy; sí/si/no; violence as 1/0; null where not recorded.",
            "menor.nombre and observaciones are personal data and free text: never mapped.",
        ],
        "name": "Fundación ANAR (synthetic sample)",
        "country": "ES",
        "submissions": [
            {"match": "es-anar/casos-*.ndjson", "kind": "cases", "format": "json",
             "json": {"lines": True},
             "fields": {
                 "case_id": {"from": "expediente"},
                 "opened_on": {"from": "fecha_apertura", "formats": ["yyyy-MM-dd", "dd/MM/yyyy"]},
                 "closed_on": {"from": "fecha_cierre", "formats": ["yyyy-MM-dd"]},
                 "category": code_field("ES-ANAR", "tipologia", "category"),
                 "cross_border": bool_field("ES-ANAR", "internacional"),
                 "destination_country": {"from": "pais_destino"},
                 "repeat_missing": bool_field("ES-ANAR", "reincidente"),
                 "violence_experienced": {"from": "violencia", "map": local_map("ES-ANAR", "violence")},
                 "child_age": {"from": "menor.edad"},
                 "child_gender": code_field("ES-ANAR", "menor.sexo", "child_gender", "UNKNOWN"),
                 "outcome": code_field("ES-ANAR", "resolucion.estado", "outcome", "UNKNOWN"),
                 "found_by": code_field("ES-ANAR", "resolucion.localizado_por", "found_by"),
                 "days_missing": {"from": "resolucion.dias"},
                 "first_channel": code_field("ES-ANAR", "canal_entrada", "channel"),
             },
             "comments": {"opened_on": "operators sometimes type the date by hand",
                          "violence_experienced": "a JSON number 1 or 0"}},
            {"match": "es-anar/contactos-*.ndjson", "kind": "contacts", "format": "json",
             "json": {"lines": True},
             "fields": {
                 "month": {"from": "mes"},
                 "channel": code_field("ES-ANAR", "canal", "channel"),
                 "contact_type": code_field("ES-ANAR", "tipo", "contact_type"),
                 "count": {"from": "total"},
             }},
        ],
    },
    "PT-IAC": {
        "file": "pt-iac.yaml",
        "header": [
            "Instituto de Apoio à Criança (Portugal). Gzipped XML export (.xml.gz, several gzip members),",
            "namespace urn:example:iac:processos:2: <iac:processo numero=\"..\" aberto=\"..\"> with the",
            "child nested in <iac:crianca> and the outcome as attributes of <iac:desfecho>; contacts as",
            "attribute-only <registo> elements in a default namespace. nome and observacoes are never mapped.",
        ],
        "name": "Instituto de Apoio à Criança (synthetic sample)",
        "country": "PT",
        "submissions": [
            {"match": "pt-iac/processos-*.xml.gz", "kind": "cases", "format": "xml",
             "xml": {"record": "/p:relatorio/p:processos/p:processo", "namespaces": {"p": PT_NS}},
             "comment": "the document uses the prefix iac; the prefix p is ours, the URI is what matches",
             "fields": {
                 "case_id": {"from": "@numero"},
                 "opened_on": {"from": "@aberto", "formats": ["yyyy-MM-dd"]},
                 "closed_on": {"from": "p:desfecho/@encerrado", "formats": ["yyyy-MM-dd"]},
                 "category": code_field("PT-IAC", "p:categoria", "category"),
                 "cross_border": bool_field("PT-IAC", "p:transfronteirico"),
                 "destination_country": {"from": "p:pais-destino"},
                 "repeat_missing": bool_field("PT-IAC", "p:reincidente"),
                 "violence_experienced": bool_field("PT-IAC", "p:violencia"),
                 "child_age": {"from": "p:crianca/p:idade"},
                 "child_gender": code_field("PT-IAC", "p:crianca/p:sexo", "child_gender", "UNKNOWN"),
                 "outcome": code_field("PT-IAC", "p:desfecho/@estado", "outcome", "UNKNOWN"),
                 "found_by": code_field("PT-IAC", "p:desfecho/@por", "found_by"),
                 "days_missing": {"from": "p:desfecho/@dias"},
                 "first_channel": code_field("PT-IAC", "p:canal", "channel"),
             },
             "comments": {"found_by": "PSP, GNR and PJ are all police forces"}},
            {"match": "pt-iac/contactos-*.xml.gz", "kind": "contacts", "format": "xml",
             "xml": {"record": "/c:contactos/c:registo", "namespaces": {"c": PT_NS_CONTACTS}},
             "fields": {
                 "month": {"from": "@mes"},
                 "channel": code_field("PT-IAC", "@canal", "channel"),
                 "contact_type": code_field("PT-IAC", "@tipo", "contact_type"),
                 "count": {"from": "@total"},
             }},
        ],
    },
})

YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def ys(s):
    """A YAML scalar: plain where that is unambiguous, else double-quoted."""
    if isinstance(s, bool):
        return "true" if s else "false"
    if (re.fullmatch(r"[^\W\d_][\w./: -]*", s) and not re.search(r": |:$| $| #", s)
            and s.lower() not in YAML_WORDS):
        return s
    return json.dumps(s, ensure_ascii=False)


def render_mapping(member):
    spec = MAPPINGS[member]
    out = [f"# {line}".rstrip() for line in spec["header"]]
    out += ["#", "# Synthetic sample member: see samples/README.md. Generated together with the samples by",
            "# samples/generate.py (edit the dicts there, then rerun it), so every local code used by",
            "# the sample's good records is mapped here, and deliberately bad codes are not.", ""]
    out += [f"member: {member}", f"country: {spec['country']}", f"name: {spec['name']}", "",
            "submissions:"]
    for sub in spec["submissions"]:
        out.append(f"  - match: {json.dumps(sub['match'])}")
        out.append(f"    kind: {sub['kind']}")
        out.append(f"    format: {sub['format']}")
        if "csv" in sub:
            o = sub["csv"]
            out.append("    csv:")
            out.append(f"      delimiter: {json.dumps(o['delimiter'])}")
            out.append(f"      encoding: {o['encoding']}")
            out.append(f"      header: {ys(o['header'])}")
        if "xml" in sub:
            o = sub["xml"]
            if sub.get("comment"):
                out.append(f"    # {sub['comment']}")
            out.append("    xml:")
            out.append(f"      record: {o['record']}")
            out.append("      namespaces:")
            for p, uri in o["namespaces"].items():
                out.append(f"        {p}: {json.dumps(uri)}")
        if "json" in sub:
            out.append("    json:")
            if sub["json"].get("lines"):
                out.append("      lines: true")
            else:
                out.append(f"      records: {json.dumps(sub['json']['records'])}")
        if "null_values" in sub:
            out.append("    null_values: [" + ", ".join(json.dumps(v) for v in sub["null_values"]) + "]")
        out.append("    fields:")
        comments = sub.get("comments", {})
        for field, f in sub["fields"].items():
            if comments.get(field):
                out.append(f"      # {comments[field]}")
            src = ys(f["from"])
            if set(f) == {"from"}:
                out.append(f"      {field}: {src}")
            elif "formats" in f:
                fm = ", ".join(json.dumps(x) for x in f["formats"])
                out.append(f"      {field}: {{ from: {src}, formats: [{fm}] }}")
            elif "map" in f and all(isinstance(v, bool) for v in f["map"].values()):
                pairs = ", ".join(f"{ys(k)}: {ys(v)}" for k, v in f["map"].items())
                out.append(f"      {field}: {{ from: {src}, map: {{ {pairs} }} }}")
            else:
                out.append(f"      {field}:")
                out.append(f"        from: {src}")
                out.append("        map:")
                for k, v in f["map"].items():
                    out.append(f"          {ys(k)}: {v}")
                if "default" in f:
                    out.append(f"        default: {f['default']}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# Build everything
# ---------------------------------------------------------------------------------------------

def build_be(rng):
    m = "BE-CF"
    cases = draw_cases(rng, m, 140)
    restrict_member_channels(m, cases)
    number_cases(cases, lambda y, n: f"CF-{y}-{n:04d}")
    # Bad 1: impossible date (a February case written as 30 February)
    i = pick(cases, lambda c: c["opened_on"].year == YEAR and c["opened_on"].month == 2 and plain_single(c))
    make_bad(cases[i], "opened_on", "BAD_DATE", "2025-02-30")
    # Bad 2: the categorie element is missing
    i = pick(cases, lambda c: plain_single(c) and c["opened_on"].month == 6 and c["opened_on"].year == YEAR)
    make_bad(cases[i], "category", "MISSING_REQUIRED", MISSING)
    # Duplicate: a not-yet-found runaway sent again at the end of the file, now found.
    i = pick(cases, lambda c: plain_single(c) and c["category"] == "RUNAWAY" and c["outcome"] == "NOT_FOUND"
             and c["opened_on"].year == YEAR and c["opened_on"].month <= 9)
    first = cases[i]
    first["_merged"] = True
    later = dict(first)
    later.pop("_merged")
    later.update(outcome="FOUND", found_by="POLICE", days_missing=12,
                 closed_on=first["opened_on"] + dt.timedelta(days=13))
    cases.append(later)
    contacts = draw_contacts(rng, ["PHONE", "CHAT", "EMAIL"], ["CASE_RELATED", "INFORMATION", "SILENT"], 1.0)
    write_be(rng, cases, contacts)
    for n, c in enumerate(cases, 1):
        c["_record"] = n
    for n, r in enumerate(contacts, 1):
        r["_record"] = n
    return {"be-cf/dossiers-2025.xml": cases}, {"be-cf/contacts-2025.xml": contacts}


def build_de(rng):
    m = "DE-IVK"
    cases = draw_cases(rng, m, 214)
    restrict_member_channels(m, cases)
    number_cases(cases, lambda y, n: f"IVK-{y % 100:02d}-{n:05d}")
    # Siblings: some parental abductions and runaways involve a second child (two rows).
    rows = []
    sib_budget = 8
    for c in cases:
        rows.append(c)
        if sib_budget and c["category"] in ("PARENTAL_ABDUCTION", "RUNAWAY") and rng.random() < 0.09:
            sib_budget -= 1
            s = dict(c)
            s["child_id"] = 2
            s["_sibling"] = True
            c["_sibling"] = True
            if c["child_age"] is not None:
                s["child_age"] = max(0, min(17, c["child_age"] + rng.choice([-4, -3, -2, 2, 3])))
            s["child_gender"] = rng.choice(["FEMALE", "MALE"])
            s["_name"] = first_name(rng, m, s["child_gender"]) + " " + c["_name"].split(" ", 1)[1]
            s["_remark"] = None
            rows.append(s)
    # Free text with a semicolon, a doubled quote and a line break inside quotes (unmapped column).
    i = pick(rows, lambda c: plain_single(c) and c["opened_on"].month == 1 and c["opened_on"].year == YEAR)
    rows[i]["_remark_raw"] = 'Anruf der Mutter; sagt "er kommt bald"\nRückruf morgen früh'
    # Bad 1: a local category code the mapping does not know (feminine form of Ausreißer)
    i = pick(rows, lambda c: plain_single(c) and c["category"] == "RUNAWAY" and c["child_gender"] == "FEMALE"
             and c["opened_on"].month == 3 and c["opened_on"].year == YEAR)
    make_bad(rows[i], "category", "UNKNOWN_CODE", "Ausreißerin")
    # Bad 2: impossible date 31.02.2025
    i = pick(rows, lambda c: plain_single(c) and c["opened_on"].month == 2 and c["opened_on"].year == YEAR)
    make_bad(rows[i], "opened_on", "BAD_DATE", "31.02.2025")
    # Bad 3: an 18-year-old: outside the child dataset
    i = pick(rows, lambda c: plain_single(c) and c["category"] == "RUNAWAY" and c["child_age"] == 17
             and c["opened_on"].month >= 7 and c["opened_on"].year == YEAR)
    make_bad(rows[i], "child_age", "OUT_OF_SCOPE", "18")
    contacts = draw_contacts(rng, ["PHONE", "EMAIL", "CHAT"],
                             ["CASE_RELATED", "INFORMATION", "SILENT", "PRANK"], 0.75)
    write_de(rng, rows, contacts)
    for n, r in enumerate(contacts, 2):
        r["_record"] = n
    return {"de-ivk/faelle-2025.csv.gz": rows}, {"de-ivk/kontakte-2025.csv.gz": contacts}


def build_it(rng):
    m = "IT-TA"
    cases = draw_cases(rng, m, 181)
    restrict_member_channels(m, cases)
    number_cases(cases, lambda y, n: f"TA-{y % 100:02d}-{n:04d}")
    # Bad 1: apertura is null (required field missing)
    i = pick(cases, lambda c: plain_single(c) and c["opened_on"].month == 4 and c["opened_on"].year == YEAR)
    make_bad(cases[i], "opened_on", "MISSING_REQUIRED", None)
    # Bad 2: negative age
    i = pick(cases, lambda c: plain_single(c) and c["child_age"] is not None and c["opened_on"].month == 8
             and c["opened_on"].year == YEAR)
    make_bad(cases[i], "child_age", "OUT_OF_RANGE", -1)
    # Bad 3: days missing written in words
    i = pick(cases, lambda c: plain_single(c) and c["days_missing"] == 3 and c["opened_on"].year == YEAR)
    make_bad(cases[i], "days_missing", "MALFORMED", "tre")
    # One genere with a trailing space (keys are compared after trimming)
    i = pick(cases, lambda c: plain_single(c) and c["child_gender"] == "FEMALE", 20)
    cases[i]["_pad_gender"] = True
    contacts = draw_contacts(rng, ["PHONE", "CHAT", "EMAIL", "APP"], ["CASE_RELATED", "INFORMATION"], 0.9)
    write_it(rng, cases, contacts)
    for n, c in enumerate(cases, 1):
        c["_record"] = n
    for n, r in enumerate(contacts, 1):
        r["_record"] = n
    return {"it-ta/casi-2025.json": cases}, {"it-ta/contatti-2025.json": contacts}


def build_fr(rng):
    m = "FR-FPE"
    cases = draw_cases(rng, m, 126)
    restrict_member_channels(m, cases)
    number_cases(cases, lambda y, n: f"ED{y}-{n:04d}")
    # Bad 1: 31 April
    i = pick(cases, lambda c: plain_single(c) and c["opened_on"].year == YEAR and c["opened_on"].month == 4)
    make_bad(cases[i], "opened_on", "BAD_DATE", "31/04/2025")
    # Bad 2: a yes/no column with a value the mapping does not know
    i = pick(cases, lambda c: plain_single(c) and c["opened_on"].year == YEAR and c["opened_on"].month == 9)
    make_bad(cases[i], "cross_border", "UNKNOWN_CODE", "peut-être")
    # A remark outside the Basic Multilingual Plane (a UTF-16 surrogate pair), with a tab and a line
    # break inside quotes (unmapped column)
    i = pick(cases, lambda c: plain_single(c) and c["opened_on"].month == 5 and c["opened_on"].year == YEAR)
    cases[i]["_remark_raw"] = "Message reçu par tchat \U0001F4AC :\t« je suis chez une amie »\r\nà rappeler"
    contacts = draw_contacts(rng, ["PHONE", "EMAIL", "CHAT", "SOCIAL_MEDIA"], ["CASE_RELATED", "INFORMATION"], 0.8)
    write_fr(rng, cases, contacts)
    for n, r in enumerate(contacts, 2):
        r["_record"] = n
    return {"fr-fpe/signalements-2025.csv": cases}, {"fr-fpe/appels-2025.csv": contacts}


def build_es(rng):
    m = "ES-ANAR"
    cases = draw_cases(rng, m, 163)
    restrict_member_channels(m, cases)
    number_cases(cases, lambda y, n: f"ANAR/{y}/{n:05d}")
    # Bad 1: age written in words
    i = pick(cases, lambda c: plain_single(c) and c["child_age"] == 15 and c["opened_on"].year == YEAR)
    make_bad(cases[i], "child_age", "MALFORMED", "quince")
    # Bad 2: opened after the report year (typo 2026 for 2025)
    i = pick(cases, lambda c: plain_single(c) and c["opened_on"].year == YEAR and c["opened_on"].month == 11
             and c["closed_on"] is None)
    make_bad(cases[i], "opened_on", "OUT_OF_SCOPE", cases[i]["opened_on"].replace(year=YEAR + 1).isoformat())
    # Bad 3: a category code the mapping does not know
    i = pick(cases, lambda c: plain_single(c) and c["category"] == "RUNAWAY" and c["opened_on"].month == 7)
    make_bad(cases[i], "category", "UNKNOWN_CODE", "fuga del domicilio")
    contacts = draw_contacts(rng, ["PHONE", "CHAT", "EMAIL", "APP"], ["CASE_RELATED", "INFORMATION"], 1.1)
    write_es(rng, cases, contacts)
    for n, c in enumerate(cases, 1):
        c["_record"] = n
    for n, r in enumerate(contacts, 1):
        r["_record"] = n
    return {"es-anar/casos-2025.ndjson": cases}, {"es-anar/contactos-2025.ndjson": contacts}


def build_pt(rng):
    m = "PT-IAC"
    cases = draw_cases(rng, m, 97)
    restrict_member_channels(m, cases)
    number_cases(cases, lambda y, n: f"IAC-{y}-{n:03d}")
    # Bad 1: month 13
    i = pick(cases, lambda c: plain_single(c) and c["opened_on"].year == YEAR and c["opened_on"].month == 1
             and c["closed_on"] is None)
    make_bad(cases[i], "opened_on", "BAD_DATE", "2025-13-01")
    # Bad 2: a 19-year-old: outside the child dataset
    i = pick(cases, lambda c: plain_single(c) and c["child_age"] == 17 and c["opened_on"].year == YEAR)
    make_bad(cases[i], "child_age", "OUT_OF_SCOPE", "19")
    contacts = draw_contacts(rng, ["PHONE", "EMAIL", "CHAT"], ["CASE_RELATED", "INFORMATION", "SILENT"], 0.5)
    write_pt(rng, cases, contacts)
    for n, c in enumerate(cases, 1):
        c["_record"] = n
    for n, r in enumerate(contacts, 1):
        r["_record"] = n
    return {"pt-iac/processos-2025.xml.gz": cases}, {"pt-iac/contactos-2025.xml.gz": contacts}


def expected_for(case_files, contact_files):
    """The figures from the ground truth."""
    subs, quarantine, by_cat, by_status = {}, [], {}, {}
    for f, recs in case_files.items():
        q = [c for c in recs if c.get("_bad")]
        merged = [c for c in recs if c.get("_merged")]
        loaded = [c for c in recs if not c.get("_bad") and not c.get("_merged")]
        subs[f] = {"read": len(recs), "loaded": len(loaded), "quarantined": len(q), "merged": len(merged)}
        for c in q:
            quarantine.append({"file": f, "record": c["_record"], "field": c["_bad"][0], "reason": c["_bad"][1]})
        for c in loaded:
            by_cat[c["category"]] = by_cat.get(c["category"], 0) + 1
            st = "NEW" if c["opened_on"].year == YEAR else "ONGOING"
            by_status[st] = by_status.get(st, 0) + 1
    total = 0
    for f, recs in contact_files.items():
        subs[f] = {"read": len(recs), "loaded": len(recs), "quarantined": 0, "merged": 0}
        total += sum(r["count"] for r in recs)
    return {
        "submissions": subs,
        "cases_by_category": {k: by_cat[k] for k in CATEGORIES if k in by_cat},
        "cases_by_status": {k: by_status[k] for k in ("NEW", "ONGOING") if k in by_status},
        "contacts_total": total,
        "quarantine": sorted(quarantine, key=lambda q: (q["file"], q["record"])),
    }


# ---------------------------------------------------------------------------------------------
# Self-check: read the files back independently and apply the mappings as docs/mapping.md says
# ---------------------------------------------------------------------------------------------

def read_records(sub, path):
    fields = [f["from"] for f in sub["fields"].values()]
    with open(path, "rb") as fh:
        data = fh.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    if sub["format"] == "csv":
        text = data.decode(sub["csv"]["encoding"].replace("windows-", "cp"))
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sub["csv"]["delimiter"])
        header = next(reader)
        prev = reader.line_num
        for row in reader:
            assert len(row) == len(header), (path, prev + 1)
            yield prev + 1, {h: v for h, v in zip(header, row) if h in fields}
            prev = reader.line_num
    elif sub["format"] == "xml":
        ns = sub["xml"]["namespaces"]
        root = ET.fromstring(data)
        steps = sub["xml"]["record"].strip("/").split("/")
        assert root.tag == qname(steps[0], ns)
        nodes = [root]
        for step in steps[1:]:
            nodes = [e for n in nodes for e in n if e.tag == qname(step, ns)]
        for n, node in enumerate(nodes, 1):
            rec = {}
            for src in fields:
                el, parts = node, src.split("/")
                for part in parts[:-1]:
                    el = el.find(qname(part, ns)) if el is not None else None
                last = parts[-1]
                if el is None:
                    continue
                if last.startswith("@"):
                    if last[1:] in el.attrib:
                        rec[src] = el.attrib[last[1:]]
                else:
                    child = el.find(qname(last, ns))
                    if child is not None:
                        rec[src] = "".join(child.itertext())
            yield n, rec
    else:
        if sub["json"].get("lines"):
            objects = [json.loads(line) for line in data.decode("utf-8").splitlines()]
        else:
            doc = json.loads(data.decode("utf-8"))
            objects = doc[re.fullmatch(r"\$\.(\w+)\[\*\]", sub["json"]["records"]).group(1)]
        for n, obj in enumerate(objects, 1):
            rec = {}
            for src in fields:
                v = obj
                for part in src.split("."):
                    v = v.get(part) if isinstance(v, dict) else None
                if v is None:
                    continue
                rec[src] = ("true" if v is True else "false" if v is False else str(v))
            yield n, rec


def qname(step, ns):
    if ":" in step:
        p, local = step.split(":", 1)
        return "{%s}%s" % (ns[p], local)
    return step


class Problem(Exception):
    def __init__(self, field, reason, value=None):
        super().__init__(field, reason)
        self.field, self.reason, self.value = field, reason, value


def interpret(field, spec, raw, nulls):
    value = raw.strip() if raw is not None else None
    if value is None or value in nulls:
        value = spec.get("default")
    elif "map" in spec:
        if value in spec["map"]:
            value = spec["map"][value]
        elif "default" in spec:
            value = spec["default"]
        else:
            raise Problem(field, "UNKNOWN_CODE", value)
    if value is None:
        if field in REQUIRED:
            raise Problem(field, "MISSING_REQUIRED")
        return None
    kind = FIELD_TYPE[field]
    if kind == "date":
        for fmt in spec.get("formats", ["yyyy-MM-dd"]):
            pat = re.escape(fmt).replace("yyyy", r"(?P<y>\d{4})").replace("MM", r"(?P<m>\d{2})").replace("dd", r"(?P<d>\d{2})")
            mt = re.fullmatch(pat, value)
            if mt:
                try:
                    d = dt.date(int(mt["y"]), int(mt["m"]), int(mt["d"]))
                except ValueError:
                    raise Problem(field, "BAD_DATE", value)
                if field == "opened_on" and d.year > YEAR:
                    raise Problem(field, "OUT_OF_SCOPE", value)
                return d
        raise Problem(field, "BAD_DATE", value)
    if kind == "bool":
        if value is True or value == "true":
            return True
        if value is False or value == "false":
            return False
        raise Problem(field, "UNKNOWN_CODE", value)
    if kind == "int":
        if not re.fullmatch(r"[+-]?\d+", str(value)):
            raise Problem(field, "MALFORMED", value)
        n = int(value)
        if n < 0 or (field == "month" and not 1 <= n <= 12):
            raise Problem(field, "OUT_OF_RANGE", n)
        if field == "child_age" and n >= 18:
            raise Problem(field, "OUT_OF_SCOPE", n)
        return n
    if kind == "country":
        assert re.fullmatch(r"[A-Za-z]{2}", value), value
        return value.upper()
    return value


def reference_read(member):
    spec = MAPPINGS[member]
    by_cat, by_status, quarantine, subs, total = {}, {}, [], {}, 0
    winners = {}  # (case_id, child_id) -> (file, record, row)
    for sub in spec["submissions"]:
        rel = sub["match"].replace("*", str(YEAR))
        nulls = set(sub.get("null_values", [""]))
        order = CASE_FIELD_ORDER if sub["kind"] == "cases" else CONTACT_FIELD_ORDER
        s = subs[rel] = {"read": 0, "loaded": 0, "quarantined": 0, "merged": 0}
        for n, rec in read_records(sub, os.path.join(HERE, rel)):
            s["read"] += 1
            try:
                row = {}
                for field in order:
                    if field in sub["fields"]:
                        f = sub["fields"][field]
                        row[field] = interpret(field, f, rec.get(f["from"]), nulls)
                    elif field in REQUIRED:
                        raise Problem(field, "MISSING_REQUIRED")
            except Problem as p:
                s["quarantined"] += 1
                quarantine.append({"file": rel, "record": n, "field": p.field, "reason": p.reason})
                continue
            if sub["kind"] == "contacts":
                s["loaded"] += 1
                total += row["count"]
                continue
            key = (row["case_id"], row.get("child_id") or "1")
            if key in winners:
                subs[winners[key][0]]["merged"] += 1
                subs[winners[key][0]]["loaded"] -= 1
            winners[key] = (rel, n, row)
            s["loaded"] += 1
    for rel, n, row in winners.values():
        by_cat[row["category"]] = by_cat.get(row["category"], 0) + 1
        st = "NEW" if row["opened_on"].year == YEAR else "ONGOING"
        by_status[st] = by_status.get(st, 0) + 1
    return {
        "submissions": subs,
        "cases_by_category": {k: by_cat[k] for k in CATEGORIES if k in by_cat},
        "cases_by_status": {k: by_status[k] for k in ("NEW", "ONGOING") if k in by_status},
        "contacts_total": total,
        "quarantine": sorted(quarantine, key=lambda q: (q["file"], q["record"])),
    }


# ---------------------------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------------------------

def render_readme(expected, raw_ids):
    mem = expected["members"]
    L = ["# Sample inbox (synthetic)", "",
         "Everything in this folder is **synthetic**: case numbers, children, names and remarks are drawn",
         "by `samples/generate.py` from a seeded random generator (standard library only). No real",
         "person or case is described. The figures follow the network's published proportions",
         "(the network's press releases, see the project's domain notes): about 57% runaways, 22% parental abductions, 5%",
         "missing migrants, at least one criminal abduction, ~15% cross-border, ~28% repeat missing,",
         "~23% violence; age peaks 15 / 6 / 13; about 6 in 10 runaways are girls.", "",
         "Regenerate (byte-identical: fixed seeds, gzip mtime 0, stable ordering):", "",
         "```sh", "python3 samples/generate.py", "```", "",
         "The script writes the inbox below, `samples/expected.json`, this README and the member",
         "mappings `pipelines/members/{be-cf,de-ivk,it-ta,fr-fpe,es-anar,pt-iac}.yaml` (rendered from the same dicts",
         "as the samples, so every local code in a good record is mapped). The expected figures come",
         "from the generator's own ground truth; as a self-check it also re-reads its files with the",
         "standard library, applies the mappings as `docs/mapping.md` describes and asserts that the",
         "result is the same. It never calls the pipeline.", "",
         f"Report year: **{expected['report_year']}**. A case is NEW if opened in {YEAR}, ONGOING if opened earlier.",
         "Case counts are loaded case rows (one row per child per case).", "",
         "## Members and files", "",
         "### BE-CF: Child Focus (Belgium, French vocabulary)", "",
         "- `be-cf/dossiers-2025.xml`: UTF-8 XML, namespace `urn:example:childfocus:dossiers:1` with prefix",
         "  `cf`; records `/cf:export/cf:dossiers/cf:dossier`, local id in the attribute `id`",
         "  (`CF-2025-0001`, `CF-2024-0007` for cases opened last year). The child is",
         "  `<cf:enfant age=\"15\" sexe=\"F\"/>` (attributes left out when not recorded); element names with",
         "  accents (`cf:frontière`); ISO dates; `oui`/`non`; optional elements missing or empty",
         "  (`<cf:violence/>`); unmapped personal fields `<cf:nom>` and `<cf:remarque>` (some in CDATA,",
         "  some with `&amp;`/`&lt;` escapes). The same dossier appears twice: the later copy (end of file,",
         "  now found) wins.",
         "- `be-cf/contacts-2025.xml`: default namespace `urn:example:childfocus:contacts:1`, one",
         "  `<ligne mois=\"01\">` per month x channel x type with child elements `canal`, `type`, `nombre`.", "",
         "### DE-IVK: Initiative Vermisste Kinder (Germany, German vocabulary)", "",
         "- `de-ivk/faelle-2025.csv.gz`: gzip, semicolon-separated, **Windows-1252**, CRLF, header row with",
         "  non-ASCII names (`Eröffnet`, `Grenzüberschreitend`); dates `dd.MM.yyyy`; `ja`/`nein`; `w`/`m`/`d`;",
         "  `-` or empty when not recorded; country codes sometimes lower case. One row per child: a few",
         "  cases have two children (same `Fallnummer`, `Kind-Nr` 1 and 2). The unmapped free-text column",
         "  `Bemerkung` has quoted fields with semicolons, doubled quotes, cp1252 typographic quotes and",
         "  one line break inside quotes, so physical line numbers (the CSV record position) run one",
         "  ahead of the row count after that record.",
         "- `de-ivk/kontakte-2025.csv.gz`: same encoding, `Monat;Kanal;Kontaktart;Anzahl`.", "",
         "### IT-TA: Telefono Azzurro (Italy, Italian vocabulary)", "",
         "- `it-ta/casi-2025.json`: one object with metadata and the array `dossiers` of nested objects",
         "  (`minore.eta`, `minore.genere`, `esito.stato`, `esito.trovato_da`, `esito.giorni`,",
         "  `esito.chiusura`, `primo_contatto.canale`); numbers are JSON numbers, `violenza` a JSON",
         "  boolean, `null` (or a whole `esito: null`) where not recorded; `sì`/`si`/`no`; one `genere`",
         "  with a trailing space; unmapped `minore.nome`, `minore.cognome`, `note`, `segnalazioni`.",
         "- `it-ta/contatti-2025.json`: `{\"contatti\": [{\"mese\": 1, \"canale\": \"telefono\", \"tipo\": ..., \"numero\": ...}]}`.", "",
         "### FR-FPE: 116 000 Enfants Disparus (France, French vocabulary)", "",
         "- `fr-fpe/signalements-2025.csv`: a spreadsheet saved as \"Texte Unicode\": **UTF-16 little endian",
         "  with a byte order mark**, tab-separated, CRLF; header names with non-ASCII letters and",
         "  apostrophes (`N° dossier`, `Date d'ouverture`, `Âge`); dates `dd/MM/yyyy`; `oui`/`non`;",
         "  `NR` (non renseigné) or empty when not recorded; `gendarmerie` as a synonym of `police`.",
         "  The unmapped `Commentaire` column has one quoted field with a tab, a CRLF line break and a",
         "  character outside the Basic Multilingual Plane (a surrogate pair in UTF-16), so CSV line",
         "  numbers run one ahead of the row count after that record.",
         "- `fr-fpe/appels-2025.csv`: same encoding, `Mois`, `Canal`, `Type d'appel`, `Nombre`.", "",
         "### ES-ANAR: Fundación ANAR (Spain, Spanish vocabulary)", "",
         "- `es-anar/casos-2025.ndjson`: **JSON lines**, one compact object per line (record position =",
         "  line); the child nested under `menor`, the resolution under `resolucion`; dates mostly",
         "  `yyyy-MM-dd`, about one in eight typed `dd/MM/yyyy` (the mapping lists both formats);",
         "  `sí`/`si`/`no`; violence as the JSON number `1`/`0`; `null` or absent keys when not recorded.",
         "- `es-anar/contactos-2025.ndjson`: `{\"mes\": 1, \"canal\": \"teléfono\", \"tipo\": ..., \"total\": ...}` per line.", "",
         "### PT-IAC: Instituto de Apoio à Criança (Portugal, Portuguese vocabulary)", "",
         "- `pt-iac/processos-2025.xml.gz`: **gzipped XML written as three gzip members** one after",
         "  another; namespace `urn:example:iac:processos:2` with the prefix `iac` (the mapping binds",
         "  its own prefix `p` to the same URI); case number and opening date as attributes of",
         "  `<iac:processo>`, the child in `<iac:crianca><iac:idade>/<iac:sexo>` (grandchild paths), the",
         "  outcome as attributes of `<iac:desfecho estado=.. por=.. dias=.. encerrado=..>`; `sim`/`não`;",
         "  `PSP`/`GNR`/`PJ` all map to POLICE; unmapped `<iac:nome>` and `<iac:observacoes>`.",
         "- `pt-iac/contactos-2025.xml.gz`: default namespace, attribute-only records",
         "  `<registo mes=\"1\" canal=\"telefone\" tipo=\"caso\" total=\"85\"/>`.", "",
         "## Expected results", "",
         "Record accounting per submission (read = loaded + quarantined + merged):", "",
         "| member | file | read | loaded | quarantined | merged |", "|---|---|---:|---:|---:|---:|"]
    for m, e in mem.items():
        for f, s in e["submissions"].items():
            L.append(f"| {m} | `{f}` | {s['read']} | {s['loaded']} | {s['quarantined']} | {s['merged']} |")
    L += ["", "Loaded case rows per category:", "",
          "| category | " + " | ".join(mem) + " | total |", "|---|" + "---:|" * (len(mem) + 1)]
    for cat in CATEGORIES:
        vals = [mem[m]["cases_by_category"].get(cat, 0) for m in mem]
        L.append(f"| {cat} | " + " | ".join(map(str, vals)) + f" | {sum(vals)} |")
    tot = [sum(mem[m]["cases_by_category"].values()) for m in mem]
    L.append("| **all** | " + " | ".join(map(str, tot)) + f" | {sum(tot)} |")
    L += ["", "Loaded case rows per status:", "",
          "| status | " + " | ".join(mem) + " | total |", "|---|" + "---:|" * (len(mem) + 1)]
    for st in ("NEW", "ONGOING"):
        vals = [mem[m]["cases_by_status"].get(st, 0) for m in mem]
        L.append(f"| {st} | " + " | ".join(map(str, vals)) + f" | {sum(vals)} |")
    L += ["", "Contacts (sum of loaded counts):", "", "| member | contacts |", "|---|---:|"]
    for m in mem:
        L.append(f"| {m} | {mem[m]['contacts_total']} |")
    L += ["", "Expected quarantine (each bad record has exactly one problem):", "",
          "| member | file | record | field | reason |", "|---|---|---:|---|---|"]
    for m in mem:
        for q in mem[m]["quarantine"]:
            L.append(f"| {m} | `{q['file']}` | {q['record']} | {q['field']} | {q['reason']} |")
    L += ["", "Record positions are 1-based: CSV = physical line where the record starts (header is line 1),",
          "XML = index of the record element, JSON = index in the array.", "",
          "Deliberately bad records and what they test:", ""]
    L += [f"- {b}" for b in BAD_NOTES]
    L += ["", f"`expected.json` also lists all {len(raw_ids)} local case ids (`raw_case_ids`) so tests can check",
          "that no raw identifier reaches the dataset.", ""]
    return "\n".join(L)


BAD_NOTES = []


def main():
    rng_be, rng_de, rng_it = (random.Random(SEED + k) for k in (1, 2, 3))
    built = {"BE-CF": build_be(rng_be), "DE-IVK": build_de(rng_de), "IT-TA": build_it(rng_it)}
    rng_fr, rng_es, rng_pt = (random.Random(SEED + k) for k in (4, 5, 6))
    built.update({"FR-FPE": build_fr(rng_fr), "ES-ANAR": build_es(rng_es), "PT-IAC": build_pt(rng_pt)})
    expected = {"report_year": YEAR, "members": {}, "raw_case_ids": []}
    for m, (case_files, contact_files) in built.items():
        expected["members"][m] = expected_for(case_files, contact_files)
        for recs in case_files.values():
            for c in recs:
                if c["case_id"] not in expected["raw_case_ids"]:
                    expected["raw_case_ids"].append(c["case_id"])
                if c.get("_bad"):
                    raw = c["_raw"][c["_bad"][0]]
                    shown = "missing" if raw is MISSING else "null" if raw is None else json.dumps(raw, ensure_ascii=False)
                    BAD_NOTES.append(f"{m} `{c['case_id']}`: {c['_bad'][0]} = {shown} -> {c['_bad'][1]}")
                if c.get("_merged"):
                    BAD_NOTES.append(f"{m} `{c['case_id']}`: sent twice (records {c['_record']} and "
                                     f"{len(recs)}); the later one (found) wins, the earlier is merged")
        e = expected["members"][m]
        for f, s in e["submissions"].items():
            assert s["read"] == s["loaded"] + s["quarantined"] + s["merged"], (m, f)

    # Mapping files
    os.makedirs(MEMBERS_DIR, exist_ok=True)
    for m in MAPPINGS:
        with open(os.path.join(MEMBERS_DIR, MAPPINGS[m]["file"]), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(render_mapping(m))

    # Self-check against an independent reading of the written files
    for m in MAPPINGS:
        got = reference_read(m)
        assert got == expected["members"][m], (m, json.dumps(got, indent=1), json.dumps(expected["members"][m], indent=1))
    reasons = {q["reason"] for e in expected["members"].values() for q in e["quarantine"]}
    assert reasons >= {"UNKNOWN_CODE", "BAD_DATE", "MISSING_REQUIRED", "OUT_OF_SCOPE"}, reasons
    assert any(s["merged"] for e in expected["members"].values() for s in e["submissions"].values())
    assert all(e["cases_by_category"].get("CRIMINAL_ABDUCTION") for e in expected["members"].values())
    # The unknown code must stay unmapped
    assert "Ausreißerin" not in local_map("DE-IVK", "category")

    write_bytes("expected.json", (json.dumps(expected, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    write_bytes("README.md", render_readme(expected, expected["raw_case_ids"]).encode("utf-8"))


if __name__ == "__main__":
    main()
