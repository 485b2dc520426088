"""The catalogue follows DCAT-AP-SE 3.0.1: parsed with rdflib, every class and property the
profile makes mandatory is there, agents have a type, organisation numbers come only from
settings, and every URL in it answers."""

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

pytestmark = pytest.mark.django_db

# Plain namespaces, not rdflib's closed DCAT/DCTERMS…: pytest probes module globals, and
# those warn about every attribute they do not define.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
ADMS_TYPE = "http://purl.org/adms/publishertype/"
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
AGENT_CLASSES = {FOAF.Agent, FOAF.Organization, FOAF.Person}


def _graph(client, url="/api/v1/catalog/") -> Graph:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rdf+xml")
    return Graph().parse(data=response.content, format="xml")


@pytest.fixture
def catalog(visitor, open_data) -> Graph:
    return _graph(visitor)


def _languages(graph: Graph, subject, predicate) -> set[str]:
    return {value.language for value in graph.objects(subject, predicate)}


def _one(graph: Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def _some(graph: Graph, subject, predicate) -> list:
    values = list(graph.objects(subject, predicate))
    assert values, (subject, predicate)
    return values


def _check_agent(graph: Graph, agent) -> None:
    """Agent (Aktör): a name and exactly one ADMS publisher type."""
    assert set(graph.objects(agent, RDF.type)) & AGENT_CLASSES, agent
    assert _some(graph, agent, FOAF.name)
    assert str(_one(graph, agent, DCTERMS.type)).startswith(ADMS_TYPE)


def test_catalogue_has_every_mandatory_property(catalog):
    (node,) = catalog.subjects(RDF.type, DCAT.Catalog)
    assert _languages(catalog, node, DCTERMS.title) == {"sv", "en"}
    assert _languages(catalog, node, DCTERMS.description) == {"sv", "en"}
    _check_agent(catalog, _one(catalog, node, DCTERMS.publisher))
    assert _one(catalog, node, DCTERMS.license) == CC0
    datasets = set(_some(catalog, node, DCAT.dataset))
    assert {str(dataset).rsplit("#", 1)[1] for dataset in datasets} == {
        "indicators",
        "action-plans",
        "follow-up-rounds",
    }
    assert set(catalog.subjects(RDF.type, DCAT.Dataset)) == datasets


def test_every_dataset_has_its_mandatory_properties(catalog):
    for dataset in catalog.subjects(RDF.type, DCAT.Dataset):
        assert _languages(catalog, dataset, DCTERMS.title) == {"sv", "en"}
        assert _languages(catalog, dataset, DCTERMS.description) == {"sv", "en"}
        _check_agent(catalog, _one(catalog, dataset, DCTERMS.publisher))
        # Recommended, and what the portal can truly say: keywords, themes, the parties.
        assert {"sv", "en"} <= _languages(catalog, dataset, DCAT.keyword)
        assert all(
            str(theme).startswith(EU + "data-theme/")
            for theme in _some(catalog, dataset, DCAT.theme)
        )
        creators = _some(catalog, dataset, DCTERMS.creator)
        names = {str(name) for creator in creators for name in catalog.objects(creator, FOAF.name)}
        assert {"Region Stockholm", "Huddinge kommun", "Botkyrka kommun"} <= names
        for creator in creators:
            _check_agent(catalog, creator)


def test_every_distribution_has_its_mandatory_properties(catalog):
    distributions = list(catalog.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 6
    for distribution in distributions:
        _one(catalog, distribution, DCAT.accessURL)
        assert str(_one(catalog, distribution, DCTERMS["format"])).startswith(EU + "file-type/")
        media_type = str(_one(catalog, distribution, DCAT.mediaType))
        assert media_type.startswith("http://www.iana.org/assignments/media-types/")
        assert _one(catalog, distribution, DCTERMS.license) == CC0
        assert _one(catalog, distribution, DCATAP.availability) == URIRef(
            EU + "planned-availability/STABLE"
        )
    used = {
        d
        for dataset in catalog.subjects(RDF.type, DCAT.Dataset)
        for d in catalog.objects(dataset, DCAT.distribution)
    }
    assert used == set(distributions)  # none dangling, none missing


def test_rounds_dataset_lists_no_distribution_until_rounds_exist(catalog):
    (rounds,) = [
        d for d in catalog.subjects(RDF.type, DCAT.Dataset) if str(d).endswith("#follow-up-rounds")
    ]
    assert list(catalog.objects(rounds, DCAT.distribution)) == []


def _rounds(open_data, editor, *, close: bool):
    import datetime

    from actionplan import rounds

    today = datetime.date.today()
    round = rounds.open_round(
        plan=open_data["adopted_plan"],
        by=editor,
        title="Uppföljning tertial 2",
        reports_on=today,
        deadline=today,
    )
    return rounds.close_round(round=round, by=editor) if close else round


def test_rounds_dataset_lists_the_latest_closed_rounds_files(open_data, editor, visitor):
    round = _rounds(open_data, editor, close=True)
    catalog = _graph(visitor)
    (dataset,) = [
        d for d in catalog.subjects(RDF.type, DCAT.Dataset) if str(d).endswith("#follow-up-rounds")
    ]
    downloads = {
        str(_one(catalog, d, DCAT.downloadURL)) for d in catalog.objects(dataset, DCAT.distribution)
    }
    base = f"http://testserver/handlingsplan/2026/uppfoljning/{round.pk}/"
    assert downloads == {base + "atgarder.csv", base + "delmal.csv", base + "ogonblicksbild.json"}
    for url in downloads:  # each answers
        assert visitor.get(url.removeprefix("http://testserver")).status_code == 200


def test_an_open_round_is_not_in_the_catalogue(open_data, editor, visitor):
    _rounds(open_data, editor, close=False)
    catalog = _graph(visitor)
    assert "uppfoljning" not in catalog.serialize(format="xml")


def test_the_api_is_a_data_service(catalog):
    (service,) = catalog.subjects(RDF.type, DCAT.DataService)
    assert _languages(catalog, service, DCTERMS.title) == {"sv", "en"}
    endpoint = str(_one(catalog, service, DCAT.endpointURL))
    assert endpoint == "http://testserver/api/v1/"
    assert _one(catalog, service, DCTERMS["format"]) == URIRef(EU + "file-type/JSON")
    assert len(list(catalog.objects(service, DCAT.servesDataset))) == 2


def test_csv_distributions_name_the_excel_variant(catalog):
    downloads = {str(url) for url in catalog.objects(None, DCAT.downloadURL)}
    assert {
        "http://testserver/indikatorer/data.csv",
        "http://testserver/indikatorer/data-excel.csv",
        "http://testserver/indikatorer/data.json",
    } == downloads


def test_no_contact_point_without_an_e_mail_address(catalog):
    # DCAT-AP-SE requires a contact point's e-mail address: none is made up.
    assert not list(catalog.subjects(RDF.type, VCARD.Organization))
    assert not list(catalog.objects(None, DCAT.contactPoint))


def test_contact_point_with_its_mandatory_properties(visitor, open_data, settings):
    settings.OPEN_DATA_CONTACT_EMAIL = "oppnadata@example.invalid"
    graph = _graph(visitor)
    (contact,) = graph.subjects(RDF.type, VCARD.Organization)
    assert _one(graph, contact, VCARD.fn) == Literal("Flemingsberg 2050")
    assert _one(graph, contact, VCARD.hasEmail) == URIRef("mailto:oppnadata@example.invalid")
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        assert _one(graph, dataset, DCAT.contactPoint) == contact


def test_organisation_numbers_only_from_settings(catalog, visitor, settings):
    # Unset (the default): no number anywhere, none invented.
    assert list(catalog.objects(None, DCTERMS.identifier)) == []
    settings.OPEN_DATA_ORGANISATION_NUMBERS = {"huddinge": "000000-0001"}
    graph = _graph(visitor)
    (numbered,) = graph.subjects(DCTERMS.identifier, Literal("000000-0001"))
    assert str(numbered).endswith("#party-huddinge")
    assert _one(graph, numbered, DCTERMS.type) == URIRef(ADMS_TYPE + "LocalAuthority")
    (joint,) = graph.subjects(RDF.type, DCAT.Catalog)
    publisher = _one(graph, joint, DCTERMS.publisher)
    assert set(graph.objects(publisher, ORG.hasMember)) >= {numbered}


def test_one_party_may_be_the_publisher(visitor, open_data, settings):
    settings.OPEN_DATA_PUBLISHER = "region-stockholm"
    settings.OPEN_DATA_ORGANISATION_NUMBERS = {"region-stockholm": "000000-0002"}
    graph = _graph(visitor)
    (node,) = graph.subjects(RDF.type, DCAT.Catalog)
    publisher = _one(graph, node, DCTERMS.publisher)
    assert str(publisher).endswith("#party-region-stockholm")
    assert _one(graph, publisher, DCTERMS.identifier) == Literal("000000-0002")
    assert _one(graph, publisher, DCTERMS.type) == URIRef(ADMS_TYPE + "RegionalAuthority")


def test_served_at_datasets_dcat_too(catalog, visitor):
    assert isomorphic(_graph(visitor, "/datasets/dcat"), catalog)


def test_every_url_in_the_catalogue_answers(catalog, visitor, settings):
    settings.OPEN_DATA_CONTACT_EMAIL = "oppnadata@example.invalid"
    graph = _graph(visitor)
    predicates = (
        DCAT.accessURL,
        DCAT.downloadURL,
        DCAT.endpointURL,
        DCAT.endpointDescription,
        DCAT.landingPage,
        FOAF.homepage,
        FOAF.page,
        VCARD.hasURL,
    )
    urls = {str(url) for predicate in predicates for url in graph.objects(None, predicate)}
    subjects = {str(subject).split("#")[0] for subject in graph.subjects()}
    local = {url for url in urls | subjects if url.startswith("http://testserver/")}
    assert len(local) >= 12
    for url in sorted(local):
        response = visitor.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
