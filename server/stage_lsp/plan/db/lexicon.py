"""Words that db plans use, in English and Polish, as compiled patterns.

Plans are free-form: the same section is "Indexes", "Indeksy" or "3. Indeksy (cele i uzasadnienie)", a
policy is "**SELECT**: allow if ...", "Polityka SELECT", "użytkownik może czytać ...". The reader decides
what a heading, a label or a sentence means from these words only; everything language-specific lives
here.
"""

from __future__ import annotations

import re
from typing import Literal

SectionKind = Literal[
    "tables", "indexes", "rls", "relations", "enums", "functions", "views", "future", "notes", "other"
]
Command = Literal["select", "insert", "update", "delete", "all"]

# Heading keywords, checked in this order (the first match wins).
SECTION_WORDS: tuple[tuple[SectionKind, re.Pattern[str]], ...] = (
    (
        "future",
        re.compile(
            r"\b(future|post[- ]?mvp|poza\s+mvp|roadmap|przyszł\w*|rozszerzaln\w*|later|out of scope|"
            r"poza zakresem|potencjaln\w* rozszerzeni\w*|nice to have)\b",
            re.I,
        ),
    ),
    (
        "rls",
        re.compile(
            r"(\brls\b|row[- ]level|polic(y|ies)\b|polityk\w*|zasady\s+(postgresql|bezpiecze\w*|rls|dostępu)|"
            r"\bsecurity\b|bezpiecze\w*|access control|kontrola dostępu|uprawnie\w*)",
            re.I,
        ),
    ),
    ("indexes", re.compile(r"\b(index\w*|indeks\w*)\b", re.I)),
    ("relations", re.compile(r"\b(relacj\w*|relationships?|relations|powiązani\w*|erd|diagram\w*)\b", re.I)),
    (
        "enums",
        re.compile(
            r"\b(enum\w*|typy(?! danych)|(?<!data )types?|domains?|domeny|wyliczeniow\w*|enumeracj\w*)\b",
            re.I,
        ),
    ),
    (
        "functions",
        re.compile(r"\b(functions?|funkcj\w*|triggers?|trigger\w*|wyzwalacz\w*|procedur\w*|rpc)\b", re.I),
    ),
    ("views", re.compile(r"\b(views?|widok\w*|materiali[sz]ed)\b", re.I)),
    (
        "tables",
        re.compile(r"\b(tables?|tabel\w*|tabl\w*|encj\w*|entit(y|ies)|schemat?\b|kolumn\w*|columns)\b", re.I),
    ),
    (
        "notes",
        re.compile(
            r"\b(notes?|uwag\w*|decisions?|decyzj\w*|additional|dodatkow\w*|podsumowani\w*|summary|"
            r"consideration\w*|rozważani\w*|strateg\w*|migrat\w*|migracj\w*|maintenance|monitoring|"
            r"quer(y|ies)|zapyta\w*|metryk\w*|metrics|performance|wydajno\w*|gdpr|rodo|compliance|backup|"
            r"partition\w*|partycj\w*|seed|overview|przegląd|założeni\w*|assumptions|konwencj\w*|"
            r"conventions|extensions|rozszerzeni\w*)\b",
            re.I,
        ),
    ),
)

# Inline labels ("**Indexes:**", "Ograniczenia:", "RLS:") that say what the following bullets are.
LABEL_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("indexes", re.compile(r"^(additional\s+|dodatkow\w*\s+)?(index\w*|indeks\w*)$", re.I)),
    ("rls", re.compile(r"^(rls|rls polic(y|ies)|polic(y|ies)|polityk\w*( rls)?|zasady rls)$", re.I)),
    (
        "columns",
        re.compile(
            r"^(?:kluczowe\s+|key\s+|inne\s+|other\s+|przykładowe\s+|example\s+|główne\s+|main\s+)?"
            r"(columns|kolumny|atrybuty|attributes|fields|pola)\b.*$",
            re.I,
        ),
    ),
    (
        "constraints",
        re.compile(
            r"^(.*constraints?|.*ograniczeni\w*|klucz\w*( główny| obcy)?|keys|pk|primary key|unikalność|"
            r"uniqueness|validation.*|walidacj\w*)$",
            re.I,
        ),
    ),
    (
        "other",
        re.compile(
            r"^(notes?|uwag\w*|relacj\w*|relations(hips)?|partitioning|dane referencyjne|initial data|"
            r"przykładowe dane|sample data|seed.*|triggers?|opis|description|cel|purpose|logika|logic|"
            r"implementacja|implementation|wartości domyślne|defaults?|rationale|uzasadnienie)$",
            re.I,
        ),
    ),
)

HEDGE = re.compile(
    r"\b(example|examples|e\.g\.|for instance|przykład\w*|np\.|pseudo[- ]?k?od\w*|pseudo[- ]?code|"
    r"sketch|szkic|illustrat\w*|poglądow\w*)",
    re.I,
)
MAYBE = re.compile(
    r"\b(może|można|mogą|may|might|could|optionally|opcjonaln\w*|typowo|typically|ewentualnie|"
    r"do doprecyzowania|to be decided|tbd)\b",
    re.I,
)
NOTE_LINE = re.compile(r"^\s*(>|\*?\*?(note|uwaga|nb|n\.b\.|info)\b\*?\*?\s*[:.-])", re.I)
NEGATION = re.compile(
    r"(\bbrak\w*\b|\bno\b|\bnot\b|\bnie\b|\bnone\b|\bwithout\b|\bbez\b|❌|\bn/a\b|\bdisabled\b|"
    r"\bżad(?:en|n\w*)\b|\bnever\b|\bnigdy\b|\bzabronion\w*\b|\bforbidden\b|\bdenied\b|\bzamiast\b|"
    r"\binstead of\b|\bblok\w*|\bblock\w*|\bprevent\w*|\bzapobieg\w*|\bcannot\b|\bcan't\b|\bnobody\b|"
    r"\bno one\b|\bnikt\b|\bmay not\b|\bmust not\b)",
    re.I,
)
REJECTION = re.compile(
    r"(❌|\bnot needed\b|\bnot required\b|\bnie (jest )?potrzebn\w*|\bniepotrzebn\w*|\brejected\b|"
    r"\bodrzucon\w*|\bwon'?t (be )?(create|add)\w*|\bno separate\b|\bnot (be )?created\b|"
    r"\bnie (będzie )?tworzon\w*|\bnie tworzymy\b|\bnot part of (the )?mvp\b)",
    re.I,
)
FUTURE_ITEM = re.compile(r"\b(post[- ]?mvp|future|poza mvp|później|later|roadmap)\b", re.I)
OPTIONAL = re.compile(r"\b(optional|opcjonaln\w*|opcjonalnie|if needed|w razie potrzeby)\b", re.I)

# RLS switched on / off, and words that make a sentence about every table.
RLS_WORD = re.compile(r"(\brls\b|row[- ]level security|row_security)", re.I)
RLS_ON = re.compile(
    r"\b(enabl\w*|włącz\w*|active|aktywn\w*|turned on|is on|wdrożon\w*|chronion\w*|enforced|wymuszon\w*)\b",
    re.I,
)
RLS_OFF = re.compile(
    r"(\bdisabl\w*|\bwyłącz\w*|\bbez\s+rls\b|\bbrak\s+rls\b|\bno\s+rls\b|\bwithout\s+rls\b|"
    r"\brls\W{0,3}\s*(off|none|no)\b|nie został\w* wdrożon\w*|\bżad(?:en|n\w*) mechanizm\w* rls|\bnot enabled\b)",
    re.I,
)
ALL_TABLES = re.compile(
    r"\b(all|every|each|wszystki\w*|każd\w*|both|obu|obie)\b[^.;:]{0,40}?\b(tables?|tabel\w*|tabeli)\b", re.I
)
WITH_COLUMN = re.compile(
    r"\b(with|having|containing|related to|z kolumn\w*|zawierając\w*|powiązan\w* z|mających)\s+"
    r"(?:(?:a|the|direct|column|kolumną|kolumnę)\s+)*`?(?P<col>[a-z_][a-z0-9_]*)`?",
    re.I,
)
ANALOGOUS = re.compile(
    r"\b(similar|analog\w*|analogiczn\w*|same policies|takie same|podobn\w*|likewise|identical|"
    r"identyczn\w*|as above|jak wyżej|the same)\b",
    re.I,
)

# Policy commands in prose. `all` is only the SQL keyword ALL (upper case) or a code span.
COMMAND_WORDS: tuple[tuple[Command, re.Pattern[str]], ...] = (
    (
        "select",
        re.compile(
            r"\b(select|selects|read|reads|reading|readable|view|views|see|odczyt\w*|czyta\w*|odczytywa\w*|"
            r"wyświetl\w*|zobaczy\w*|widzi\w*|podgląd\w*|public_read|read-only)\b",
            re.I,
        ),
    ),
    (
        "insert",
        re.compile(
            r"\b(insert|inserts|create|creates|add|adds|dodaw\w*|dodać|dodaje|tworz\w*|utworz\w*|wstaw\w*)\b",
            re.I,
        ),
    ),
    (
        "update",
        re.compile(
            r"\b(update|updates|edit|edits|modify|aktualiz\w*|edytow\w*|edytuj\w*|edycj\w*|zmieni\w*|modyfikow\w*)\b",
            re.I,
        ),
    ),
    ("delete", re.compile(r"\b(delete|deletes|remove|removes|usuw\w*|usun\w*|kasow\w*)\b", re.I)),
    (
        "all",
        re.compile(
            r"(\bALL\b|(?i:\bcrud\b|\bmanage(?!d\s+by)\w*|\bzarządza(?!n\w*\s+przez)\w*|\bfull access\b|\bpełen dostęp\b|"
            r"\bpełny dostęp\b|\bmodyfikacj\w*|\bmodifications\b|\bwrites?\b))",
        ),
    ),
)
PERMISSION = re.compile(
    r"\b(może|mogą|można|can|may|allow\w*|dozwolon\w*|permit\w*|polic(y|ies)|polityk\w*|rule|reguł\w*|"
    r"access|dostęp\w*|tylko|only|dla|for|prawo|uprawn\w*|właściciel\w*|owner\w*|users?|użytkownik\w*|"
    r"rol[aięą]\w*|roles?|odpowiada\w*|responsible|handles?|obsługuj\w*)\b",
    re.I,
)
SOFT_DELETE = re.compile(
    r"\b(soft|hard|fizyczn\w*|physical)[- ]delet\w*|\bdelete\s+(fizyczn\w*|physical)", re.I
)
ACCESS = re.compile(r"\b(access|dostęp\w*|polic(y|ies)|polityk\w*|owner|właściciel\w*)\b", re.I)
SQL_COMMAND = re.compile(r"^\s*(select|insert|update|delete|all)\s*$", re.I)
COMMAND_LIST = re.compile(
    r"^(?:(?:polityka|polityki|policy|policies)\s+)?"
    r"(?P<cmds>(?:select|insert|update|delete|all|read|write)(?:\s*(?:/|,|&|\band\b|\bi\b|\boraz\b|\bor\b|\blub\b)\s*"
    r"(?:select|insert|update|delete|all|read|write))*)"
    r"(?:\s+(?:policy|policies|polityka|polityki))?$",
    re.I,
)
ROLE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("service_role", re.compile(r"(service[_ -]role|rol[iaęą] serwisow\w*|rola serwisowa)", re.I)),
    ("anon", re.compile(r"\banon\w*\b", re.I)),
    ("authenticated", re.compile(r"\b(authenticated|zalogowan\w*|uwierzytelnion\w*)\b", re.I)),
)
PRIMARY_KEY = re.compile(r"(\bPK\b|\bprimary[ _-]key\b|\bklucz\w* główn\w*|_pkey\b|\(primary\b)", re.I)
INDEX_WORD = re.compile(r"\b(index\w*|indeks\w*|b-?tree|gin|gist|brin|hash|ivfflat|hnsw)\b", re.I)
STRUCK = re.compile(r"~~[^~]+~~")
