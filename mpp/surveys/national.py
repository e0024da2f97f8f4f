"""The national questionnaire of PermenPAN-RB 14/2017 in the common template's wording.

Order: the common printed form asks facilities (U9) as question 8 and complaints (U8) as
question 9, the reverse of the regulation's list. Citizens in Kukar know that form, so the
questionnaire keeps its order; answers are stored by element code all the same.
"""

from __future__ import annotations

from typing import Any

# (code, element, question, answers 1–4), in the printed form's order.
ELEMENTS: list[tuple[str, str, str, tuple[str, str, str, str]]] = [
    (
        "U1",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    (
        "U2",
        "Sistem, Mekanisme, dan Prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    (
        "U3",
        "Waktu Penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    (
        "U4",
        "Biaya/Tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    (
        "U5",
        "Produk Spesifikasi Jenis Pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    (
        "U6",
        "Kompetensi Pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    (
        "U7",
        "Perilaku Pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
        "dan keramahan?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    (
        "U9",
        "Sarana dan Prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat Baik"),
    ),
    (
        "U8",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
]

TITLE = "Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017)"


def load(questionnaire_model: Any, element_model: Any) -> None:
    """Create the national questionnaire (mall and tenant empty: in force everywhere)."""
    questionnaire = questionnaire_model.objects.create(title=TITLE, is_active=True)
    element_model.objects.bulk_create(
        [
            element_model(
                questionnaire=questionnaire,
                code=code,
                name=name,
                question=question,
                position=position,
                weight_numerator=1,
                weight_denominator=9,
                label_1=labels[0],
                label_2=labels[1],
                label_3=labels[2],
                label_4=labels[3],
            )
            for position, (code, name, question, labels) in enumerate(ELEMENTS, start=1)
        ]
    )


def ensure() -> None:
    """Load the national questionnaire if it is missing (a test flushed the database)."""
    from mpp.surveys.models import Element, Questionnaire

    if not Questionnaire.objects.filter(mall=None, tenant=None, title=TITLE).exists():
        load(Questionnaire, Element)
