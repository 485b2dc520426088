"""The DCAT-AP-SE catalogue: parsed as RDF, it describes both datasets with links that work."""

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

pytestmark = pytest.mark.django_db

# Plain namespaces, not rdflib's closed DCAT/DCTERMS…: pytest probes module globals, and
# those warn about every attribute they do not define.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")


@pytest.fixture
def catalog(visitor, open_data) -> Graph:
    response = visitor.get("/api/v1/catalog/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rdf+xml")
    return Graph().parse(data=response.content, format="xml")


def _languages(graph: Graph, subject, predicate) -> set[str]:
    return {value.language for value in graph.objects(subject, predicate)}


def test_catalog_describes_two_datasets(catalog):
    (catalog_node,) = catalog.subjects(RDF.type, DCAT.Catalog)
    datasets = set(catalog.objects(catalog_node, DCAT.dataset))
    assert len(datasets) == 2
    assert set(catalog.subjects(RDF.type, DCAT.Dataset)) == datasets
    assert _languages(catalog, catalog_node, DCTERMS.title) == {"sv", "en"}
    assert (catalog_node, DCTERMS.license, CC0) in catalog
    for dataset in datasets:
        assert _languages(catalog, dataset, DCTERMS.title) == {"sv", "en"}
        assert _languages(catalog, dataset, DCTERMS.description) == {"sv", "en"}
        assert {"sv", "en"} <= _languages(catalog, dataset, DCAT.keyword)
        themes = {str(theme) for theme in catalog.objects(dataset, DCAT.theme)}
        assert themes and all(theme.startswith(EU_THEME) for theme in themes)
        (publisher,) = catalog.objects(dataset, DCTERMS.publisher)
        names = " ".join(str(name) for name in catalog.objects(publisher, FOAF.name))
        for party in ("Region Stockholm", "Huddinge kommun", "Botkyrka kommun"):
            assert party in names
        (contact,) = catalog.objects(dataset, DCAT.contactPoint)
        assert (contact, VCARD.fn, Literal("Flemingsberg 2050")) in catalog
        distributions = list(catalog.objects(dataset, DCAT.distribution))
        assert distributions
        for distribution in distributions:
            assert (distribution, RDF.type, DCAT.Distribution) in catalog
            assert (distribution, DCTERMS.license, CC0) in catalog
            assert list(catalog.objects(distribution, DCAT.accessURL))


def test_every_distribution_link_works(catalog, visitor):
    urls = {
        str(url)
        for predicate in (DCAT.accessURL, DCAT.downloadURL)
        for url in catalog.objects(None, predicate)
    }
    assert any("/api/v1/sub-targets/" in url for url in urls)
    assert any("/api/v1/actions/" in url for url in urls)
    for url in urls:
        assert url.startswith("http://testserver/")
        response = visitor.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
