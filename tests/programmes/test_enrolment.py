"""Enrolment: one person, or a spreadsheet in the forms Dutch HR departments really have."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from accounts.models import User
from programmes.enrolment import ImportFileError, apply_rows, check_rows, read_rows
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import ProgrammeFactory

DUTCH_HEADER = ["Voornaam", "Achternaam", "E-mailadres", "Functie", "Afdeling", "E-mail leidinggevende"]
ENGLISH_HEADER = ["First name", "Last name", "Email", "Function", "Department", "Manager's email"]


def people(count: int, manager: str = "") -> list[list[str]]:
    return [
        [f"Deelnemer{n}", f"van Wijk{n}", f"deelnemer{n}@rotterdam.example", "Gebiedsnetwerker", "Noord", manager]
        for n in range(count)
    ]


def csv_bytes(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    return "\r\n".join(delimiter.join(row) for row in rows).encode(encoding)


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client: Client, world: World, content: bytes, name: str = "deelnemers.csv"):
    return client.post(f"/programmes/{world.programme.pk}/people/import/", {"file": SimpleUploadedFile(name, content)})


def participants(world: World) -> set[str]:
    return set(
        Membership.objects.for_organisation(world.rotterdam)
        .filter(programme=world.programme, role="participant")
        .values_list("user__email", flat=True)
    )


# --- Reading files --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (csv_bytes([DUTCH_HEADER, *people(2)], ","), "komma.csv"),
        (csv_bytes([DUTCH_HEADER, *people(2)], ";"), "puntkomma.csv"),
        (b"\xef\xbb\xbf" + csv_bytes([ENGLISH_HEADER, *people(2)], ";"), "bom.csv"),
        (csv_bytes([ENGLISH_HEADER, *people(2)], ";", "cp1252"), "excel.csv"),
        (xlsx_bytes([DUTCH_HEADER, *people(2)]), "deelnemers.xlsx"),
    ],
)
def test_reads_every_format_dutch_offices_use(content: bytes, name: str) -> None:
    rows = read_rows(content, name)

    assert [(row.first_name, row.email, row.department) for row in rows] == [
        ("Deelnemer0", "deelnemer0@rotterdam.example", "Noord"),
        ("Deelnemer1", "deelnemer1@rotterdam.example", "Noord"),
    ]


def test_windows_1252_accents_survive() -> None:
    row = ["Zoë", "Çelik-Brënninkmeijer", "zoe@rotterdam.example", "", "", ""]
    content = csv_bytes([DUTCH_HEADER, row], ";", "cp1252")

    row = read_rows(content)[0]

    assert (row.first_name, row.last_name) == ("Zoë", "Çelik-Brënninkmeijer")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "bestand is leeg."),
        (b"   \r\n ", "Het bestand is leeg."),
        (b"naam,adres\r\nPiet,Dorpsstraat 1", "Ontbreekt: voornaam, achternaam, e-mail"),
        (b"PK\x03\x04kapot", "Dit Excel-bestand kan niet worden geopend"),
        (bytes(range(256)) * 4, "geen spreadsheet"),
    ],
)
def test_unreadable_files_get_a_clear_dutch_error(world: World, content: bytes, message: str) -> None:
    with pytest.raises(ImportFileError) as error:
        read_rows(content)
    assert message in str(error.value)

    response = upload(login_client(world.hr), world, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert participants(world) == {world.alice.email}


# --- Checking rows --------------------------------------------------------------


def test_preview_lists_every_problem_and_saves_nothing(world: World) -> None:
    content = csv_bytes(
        [
            DUTCH_HEADER,
            ["Anna", "de Vries", "anna@rotterdam.example", "", "", world.manager.email],
            ["Bert", "Bakker", "geen-adres", "", "", ""],
            ["Anna", "Dubbel", "ANNA@rotterdam.example", "", "", ""],
            ["Alice", "Bestaand", world.alice.email, "", "", ""],
            ["Carla", "Chef", "carla@rotterdam.example", "", "", "onbekend@rotterdam.example"],
            ["Charlie", "Haarlem", world.charlie.email, "", "", ""],
            ["", "Zonder", "zonder@rotterdam.example", "", "", ""],
        ]
    )
    before = User.objects.count()

    page = upload(login_client(world.hr), world, content).content.decode()

    assert "“geen-adres” is geen geldig e-mailadres." in page
    assert "Dit e-mailadres staat ook op regel 2." in page
    assert "Al ingeschreven: de gegevens worden bijgewerkt." in page
    assert "Onbekende leidinggevende “onbekend@rotterdam.example”" in page
    assert "Dit e-mailadres hoort bij iemand buiten uw organisatie." in page
    assert "Voornaam ontbreekt." in page
    assert "5 regels hebben een probleem." in page
    assert "Bevestigen en inschrijven" not in page
    assert User.objects.count() == before


def test_a_file_with_problems_cannot_be_confirmed_by_a_crafted_post(world: World) -> None:
    client = login_client(world.hr)
    upload(client, world, csv_bytes([DUTCH_HEADER, ["Bert", "Bakker", "geen-adres", "", "", ""]]))
    token = client.session["enrolment-import"]["token"]

    response = client.post(f"/programmes/{world.programme.pk}/people/import/confirm/", {"token": token})

    assert response.status_code == 200
    assert "niets is opgeslagen" in response.content.decode()
    assert not User.objects.filter(email="geen-adres").exists()


# --- Applying -------------------------------------------------------------------


def confirm(client: Client, world: World):
    token = client.session["enrolment-import"]["token"]
    return client.post(f"/programmes/{world.programme.pk}/people/import/confirm/", {"token": token}, follow=True)


def test_import_enrols_everyone_with_their_manager(world: World) -> None:
    client = login_client(world.hr)
    rows = [DUTCH_HEADER, *people(3, manager=world.manager.email)]
    rows.append(["Mila", "Leider", "mila@rotterdam.example", "Teamleider", "Noord", ""])
    rows.append(["Noor", "Nieuw", "noor@rotterdam.example", "", "", "mila@rotterdam.example"])
    preview = upload(client, world, csv_bytes(rows, ";"))
    assert "Geen problemen gevonden" in preview.content.decode()

    response = confirm(client, world)

    assert "Import klaar: 5 ingeschreven, 5 nieuwe accounts, 0 mensen bijgewerkt." in response.content.decode()
    assert len(participants(world)) == 6
    noor = Membership.objects.for_organisation(world.rotterdam).get(user__email="noor@rotterdam.example")
    assert noor.reports_to.email == "mila@rotterdam.example"
    managers = Membership.objects.for_organisation(world.rotterdam).filter(programme=world.programme, role="manager")
    assert {m.user.email for m in managers} == {world.manager.email, "mila@rotterdam.example"}
    new = User.objects.get(email="deelnemer0@rotterdam.example")
    assert new.organisation == world.rotterdam
    assert not new.has_usable_password()


def test_importing_the_same_file_again_updates_and_never_duplicates(world: World) -> None:
    client = login_client(world.hr)
    upload(client, world, csv_bytes([DUTCH_HEADER, *people(3)]))
    confirm(client, world)
    users, memberships = User.objects.count(), Membership.objects.for_organisation(world.rotterdam).count()

    changed = people(3)
    changed[0][3] = "Senior gebiedsnetwerker"
    upload(client, world, csv_bytes([DUTCH_HEADER, *changed]))
    response = confirm(client, world)

    assert "0 ingeschreven, 0 nieuwe accounts, 1 mensen bijgewerkt" in response.content.decode()
    assert User.objects.count() == users
    assert Membership.objects.for_organisation(world.rotterdam).count() == memberships
    assert User.objects.get(email="deelnemer0@rotterdam.example").job_title == "Senior gebiedsnetwerker"


def test_import_is_all_or_nothing_when_the_world_changes_between_preview_and_confirm(world: World) -> None:
    client = login_client(world.hr)
    upload(client, world, csv_bytes([DUTCH_HEADER, *people(3)]))
    User.objects.create(email="deelnemer2@rotterdam.example", organisation=world.haarlem)

    response = confirm(client, world)

    assert "Dit e-mailadres hoort bij iemand buiten uw organisatie." in response.content.decode()
    assert not User.objects.filter(email__in=["deelnemer0@rotterdam.example", "deelnemer1@rotterdam.example"]).exists()


def test_confirming_twice_does_nothing_the_second_time(world: World) -> None:
    client = login_client(world.hr)
    upload(client, world, csv_bytes([DUTCH_HEADER, *people(2)]))
    token = client.session["enrolment-import"]["token"]
    confirm(client, world)

    again = client.post(f"/programmes/{world.programme.pk}/people/import/confirm/", {"token": token}, follow=True)

    assert "Deze import is verlopen of al uitgevoerd" in again.content.decode()


def test_preview_of_80_rows_keeps_a_constant_query_count(world: World, django_assert_max_num_queries: Callable) -> None:
    client = login_client(world.hr)
    with django_assert_max_num_queries(20) as small:
        upload(client, world, csv_bytes([DUTCH_HEADER, *people(2)]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert upload(client, world, csv_bytes([DUTCH_HEADER, *people(80)])).status_code == 200


def test_check_rows_reads_the_database_three_times_at_most(
    world: World, django_assert_max_num_queries: Callable
) -> None:
    rows = read_rows(csv_bytes([DUTCH_HEADER, *people(200, manager=world.manager.email)]))
    with django_assert_max_num_queries(2):
        check = check_rows(world.programme, rows)
    assert check.can_apply


# --- One person, roles ------------------------------------------------------------


def test_hr_admin_adds_one_person(world: World) -> None:
    data = {"first_name": "Sem", "last_name": "de Boer", "email": "sem@rotterdam.example", "manager_email": ""}

    response = login_client(world.hr).post(f"/programmes/{world.programme.pk}/people/add/", data, follow=True)

    assert "Sem de Boer is ingeschreven." in response.content.decode()
    assert "sem@rotterdam.example" in participants(world)


def test_adding_someone_of_another_organisation_is_refused(world: World) -> None:
    data = {"first_name": "Charlie", "last_name": "X", "email": world.charlie.email}

    response = login_client(world.hr).post(f"/programmes/{world.programme.pk}/people/add/", data)

    assert response.status_code == 200
    assert "hoort bij iemand buiten uw organisatie" in response.content.decode()
    assert world.charlie.email not in participants(world)


def test_hr_assigns_a_coach_from_the_own_organisation_only(world: World) -> None:
    client = login_client(world.hr)
    url = f"/programmes/{world.programme.pk}/people/roles/"

    granted = client.post(url, {"email": world.colleague.email.upper(), "role": "coach"})
    refused = client.post(url, {"email": world.charlie.email, "role": "coach"})

    assert granted.status_code == 302
    assert world.colleague.has_perm("programmes.view_people", world.programme)
    assert refused.status_code == 200
    assert "Niemand in uw organisatie heeft een account met dit e-mailadres." in refused.content.decode()
    assert not Membership.objects.for_organisation(world.haarlem).filter(programme=world.programme).exists()
    assert not Membership.objects.for_organisation(world.rotterdam).filter(user=world.charlie).exists()


def test_hr_removes_a_coach_but_not_a_participant_through_the_role_button(world: World) -> None:
    client = login_client(world.hr)
    coach = Membership.objects.for_organisation(world.rotterdam).get(user=world.bob, role="coach")
    participant = Membership.objects.for_organisation(world.rotterdam).get(user=world.alice, role="participant")

    assert client.post(f"/programmes/{world.programme.pk}/people/roles/{coach.pk}/remove/").status_code == 302
    assert client.post(f"/programmes/{world.programme.pk}/people/roles/{participant.pk}/remove/").status_code == 404
    assert not Membership.objects.for_organisation(world.rotterdam).filter(pk=coach.pk).exists()


def test_a_manager_sees_only_programmes_assigned_to_them(world: World) -> None:
    other = ProgrammeFactory(organisation=world.rotterdam, title="Leercoach in ontwikkeling")
    assign = {"email": world.colleague.email, "role": "manager"}
    login_client(world.hr).post(f"/programmes/{other.pk}/people/roles/", assign)

    page = login_client(world.colleague).get("/programmes/").content.decode()

    assert f'href="/programmes/{other.pk}/"' in page
    assert f'href="/programmes/{world.programme.pk}/"' not in page


@pytest.mark.parametrize("who", ["alice", "bob", "manager"])
def test_people_in_the_programme_cannot_manage_its_people(world: World, who: str) -> None:
    client = login_client(getattr(world, who))

    assert client.get(f"/programmes/{world.programme.pk}/people/").status_code == 403
    response = upload(client, world, csv_bytes([DUTCH_HEADER, *people(1)]))
    assert response.status_code == 403
    assert participants(world) == {world.alice.email}


@pytest.mark.parametrize("path", ["people/", "people/export.csv", "people/export.xlsx"])
def test_another_organisations_hr_admin_gets_404(world: World, path: str) -> None:
    assert login_client(world.haarlem_hr).get(f"/programmes/{world.programme.pk}/{path}").status_code == 404


def test_another_organisations_hr_admin_cannot_import_into_it(world: World) -> None:
    response = upload(login_client(world.haarlem_hr), world, csv_bytes([DUTCH_HEADER, *people(1)]))

    assert response.status_code == 404
    assert participants(world) == {world.alice.email}


# --- Export ---------------------------------------------------------------------


def test_exports_never_run_as_formulas(world: World) -> None:
    world.alice.first_name = '=HYPERLINK("http://kwaad.example")'
    world.alice.last_name = "+31 6 1234"
    world.alice.job_title = "@SUM(A1)"
    world.alice.save()
    client = login_client(world.hr)

    csv_text = client.get(f"/programmes/{world.programme.pk}/people/export.csv").content.decode("utf-8-sig")
    xlsx = client.get(f"/programmes/{world.programme.pk}/people/export.xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = [cell.value for cell in sheet[2]]

    assert "'=HYPERLINK" in csv_text and "'+31 6 1234" in csv_text and "'@SUM(A1)" in csv_text
    assert cells[:2] == ['\'=HYPERLINK("http://kwaad.example")', "'+31 6 1234"]
    assert all(cell.data_type == "s" for cell in sheet[2] if cell.value is not None)
    assert [cell.value for cell in sheet[1]][:3] == ["Voornaam", "Achternaam", "E-mail"]


def test_export_can_be_imported_again(world: World) -> None:
    client = login_client(world.hr)
    exported = client.get(f"/programmes/{world.programme.pk}/people/export.csv").content

    rows = read_rows(exported)

    assert [row.email for row in rows] == [world.alice.email]


def test_unknown_export_format_is_not_found(world: World) -> None:
    assert login_client(world.hr).get(f"/programmes/{world.programme.pk}/people/export.pdf").status_code == 404


def test_applying_200_people_takes_a_handful_of_queries_not_one_per_row(
    world: World, django_assert_max_num_queries: Callable
) -> None:
    rows = read_rows(csv_bytes([DUTCH_HEADER, *people(200, manager=world.manager.email)]))

    # Bulk writes: a fixed number of statements (SQLite splits big batches into a few more).
    with django_assert_max_num_queries(20):
        result = apply_rows(world.programme, rows)

    assert result.enrolled == result.created == 200
