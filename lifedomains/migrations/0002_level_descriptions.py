"""The project's own descriptions of each level per domain (admins can edit them)."""

from django.db import migrations

LEVELS = {
    "housing": [
        "Geen slaapplek voor de nacht na ontslag, of dakloos.",
        "Tijdelijk onderdak bij anderen of in de nachtopvang; geen eigen plek.",
        "Een plek om te wonen, maar onzeker of niet passend (bijvoorbeeld logeren).",
        "Een vaste woonplek en ingeschreven op een adres; huur wordt meestal betaald.",
        "Een eigen, passende woning; regelt huur en wonen zelf.",
    ],
    "admin": [
        "Geen identiteitsbewijs, geen inschrijving; niets geregeld.",
        "Een paar dingen geregeld, maar het belangrijkste ontbreekt (ID of BRP).",
        "ID en inschrijving geregeld; DigiD, bank of verzekering nog niet.",
        "De basis is geregeld; heeft af en toe hulp nodig bij post en formulieren.",
        "Regelt post, DigiD, bank en verzekering zelf.",
    ],
    "care": [
        "Acute zorg nodig (psychisch, verslaving of lichamelijk) en die is er niet.",
        "Heeft zorg nodig, maar die is niet geregeld of wordt niet gebruikt.",
        "Zorg is geregeld, maar wordt niet altijd gebruikt.",
        "Zorgverzekering, huisarts en vervolgzorg geregeld en in gebruik.",
        "Zorgt zelf goed voor de eigen gezondheid; weet hulp te vinden.",
    ],
    "finances": [
        "Hoge schulden zonder overzicht; incasso of beslag; geen geld voor eten.",
        "Schulden niet in beeld; geen hulp of regeling.",
        "Schulden in beeld; schuldhulpverlening aangevraagd of gestart.",
        "Regelingen lopen en worden nagekomen; kan rondkomen.",
        "Geen problematische schulden; beheert het eigen geld.",
    ],
    "work": [
        "Geen inkomen en geen uitkering aangevraagd.",
        "Uitkering aangevraagd of tijdelijk inkomen; geen dagbesteding.",
        "Uitkering of inkomen; bezig met school, werkervaring of dagbesteding.",
        "Werk of opleiding met een vast ritme; inkomen is stabiel.",
        "Vast werk of een diploma op zak; zelfstandig inkomen.",
    ],
}


def add_descriptions(apps, schema_editor):
    LevelDescription = apps.get_model("lifedomains", "LevelDescription")
    for domain, texts in LEVELS.items():
        for level, text in enumerate(texts, start=1):
            LevelDescription.objects.get_or_create(
                domain=domain, level=level, defaults={"description": text}
            )


class Migration(migrations.Migration):
    dependencies = [("lifedomains", "0001_initial")]

    operations = [migrations.RunPython(add_descriptions, migrations.RunPython.noop)]
