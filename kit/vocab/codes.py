"""Vocabulary codes as static Literal types (generated from rules/vocabulary.yaml by
tools/generate_codes.py; do not edit by hand). Models reject an unknown code with the allowed
list, the JSON Schema shows the enumeration, and the type checker sees every code type."""

from typing import Literal

LotCode = Literal[
    "jeugd-ambulant-begeleiding",
    "jeugd-ambulant-behandeling",
    "jeugd-wonen-verblijf-gezinshuis",
    "jeugd-wonen-verblijf-residentieel",
    "jeugd-crisis",
    "jeugd-advies-expertise",
    "wmo-begeleiding-individueel",
    "wmo-dagbesteding",
]

Domain = Literal["jeugd", "wmo"]

Subtender = Literal[
    "advies-expertise",
    "ambulant",
    "crisis",
    "wmo-begeleiding-individueel",
    "wmo-dagbesteding",
    "wonen-verblijf",
]

RoleCode = Literal["hoofdaannemer", "onderaannemer"]

LegalForm = Literal[
    "eenmanszaak",
    "vof",
    "maatschap",
    "bv",
    "nv",
    "stichting",
    "vereniging",
    "cooperatie",
]

SizeClass = Literal["zelfstandige", "klein", "middel", "groot"]

GroundCode = Literal[
    "criminele-organisatie",
    "omkoping",
    "fraude",
    "terrorisme",
    "witwassen",
    "kinderarbeid-mensenhandel",
    "belastingen-premies",
    "schending-milieu-sociaal-arbeidsrecht",
    "faillissement",
    "ernstige-beroepsfout",
    "vervalsing-mededinging",
    "belangenconflict",
    "eerdere-betrokkenheid",
    "aanzienlijke-tekortkomingen",
    "valse-verklaringen",
    "ongeoorloofde-beinvloeding",
    "bibob-ernstig-gevaar",
]

DocumentType = Literal[
    "kvk-uittreksel",
    "ubo-uittreksel",
    "gedragsverklaring-aanbesteden",
    "verklaring-betalingsgedrag",
    "bibob-vragenlijst",
    "jaarrekening",
    "aansprakelijkheidsverzekering",
    "calamiteitenprotocol",
    "klachtenregeling",
    "meldcode",
    "privacyreglement",
    "rie",
    "noodplan",
    "clientenraad-regeling",
    "igj-melding",
    "raad-van-toezicht",
    "keurmerk-gezinshuizen",
    "kwaliteitssysteem",
    "bestemmingsplan-verklaring",
    "brandveiligheid-gebruiksmelding",
    "diploma",
    "registratiebewijs",
    "vog",
    "arbeidsovereenkomst",
    "evc-certificaat",
]

Register = Literal["skj", "big"]

RegisterKindCode = Literal[
    "arts",
    "gz-psycholoog",
    "jeugd-en-gezinsprofessional-hbo",
    "jeugd-en-gezinsprofessional-master",
    "kinder-en-jeugdpsycholoog",
    "klinisch-neuropsycholoog",
    "klinisch-psycholoog",
    "orthopedagoog-generalist",
    "psychotherapeut",
    "verpleegkundige",
]

DiplomaLevel = Literal["mbo-2", "mbo-3", "mbo-4", "hbo", "wo-bachelor", "wo-master"]

DiplomaField = Literal[
    "pedagogiek",
    "social-work",
    "maatschappelijk-werk",
    "psychologie",
    "orthopedagogiek",
    "verpleegkunde",
    "sociaal-pedagogische-hulpverlening",
    "toegepaste-psychologie",
    "medicijnen",
    "overig",
]

RegistrationLevel = Literal["hbo", "master", "postmaster"]

StaffFunction = Literal[
    "jeugdhulpverlener",
    "begeleider",
    "gedragswetenschapper",
    "stagiair",
    "ondersteunend",
]

EmploymentKind = Literal["loondienst", "inhuur", "zzp"]

Sanction = Literal["vonnis", "strafbeschikking"]

BibobStatus = Literal["niet-gestart", "lopend", "afgerond"]

BibobOutcome = Literal["geen-bezwaar", "mindere-mate-gevaar", "ernstig-gevaar"]

BibobState = Literal[
    "niet-gestart",
    "lopend",
    "afgerond",
    "geen-bezwaar",
    "mindere-mate-gevaar",
    "ernstig-gevaar",
]

EvcStatus = Literal["lopend", "afgerond"]

Assessment = Literal["voldoende", "onvoldoende"]

BoardRole = Literal["bestuurder", "toezichthouder"]

Status = Literal["voldaan", "niet-voldaan", "onbepaald"]

Outcome = Literal["uitsluiting", "herstel", "voorwaardelijk", "beoordeling", "signaal"]

Verdict = Literal[
    "toegelaten",
    "toegelaten-onder-voorwaarden",
    "herstel-nodig",
    "in-beoordeling",
    "afgewezen",
    "uitgesloten",
    "ingetrokken",
]

RiskLight = Literal["groen", "oranje", "rood", "onbepaald"]

CriterionOutcome = Literal["voldaan", "niet-voldaan", "niet-van-toepassing"]

CredentialKind = Literal["diploma", "registratie", "vog", "evc-certificaat"]

VerificationOutcome = Literal["bevestigd", "niet-bevestigd", "niet-te-controleren"]

RequirementCode = Literal[
    "kvk-uittreksel",
    "ubo-uittreksel",
    "gedragsverklaring-aanbesteden",
    "verklaring-betalingsgedrag",
    "bibob-vragenlijst",
    "jaarrekening",
    "aansprakelijkheidsverzekering",
    "calamiteitenprotocol",
    "klachtenregeling",
    "meldcode",
    "privacyreglement",
    "rie",
    "noodplan",
    "clientenraad-regeling",
    "igj-melding",
    "raad-van-toezicht",
    "keurmerk-gezinshuizen",
    "kwaliteitssysteem",
    "bestemmingsplan-verklaring",
    "brandveiligheid-gebruiksmelding",
    "diploma",
    "registratiebewijs",
    "vog",
    "arbeidsovereenkomst",
    "evc-certificaat",
    "criminele-organisatie",
    "omkoping",
    "fraude",
    "terrorisme",
    "witwassen",
    "kinderarbeid-mensenhandel",
    "belastingen-premies",
    "schending-milieu-sociaal-arbeidsrecht",
    "faillissement",
    "ernstige-beroepsfout",
    "vervalsing-mededinging",
    "belangenconflict",
    "eerdere-betrokkenheid",
    "aanzienlijke-tekortkomingen",
    "valse-verklaringen",
    "ongeoorloofde-beinvloeding",
    "bibob-ernstig-gevaar",
    "registratie",
    "diploma-niveau",
    "gedragswetenschapper",
    "locatie",
    "gekwalificeerd-personeel",
    "herstelronde",
    "risico",
    "zelfverklaring",
    "uitspraak",
]
