"""imsmanifest.xml: the cartridge's metadata, its table of contents and its list of files."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from academy.export.profiles import XSI, Profile

WEBCONTENT = "webcontent"
MANIFEST = "imsmanifest.xml"


@dataclass
class Resource:
    """A resource: its files, what kind it is, and what it needs."""

    identifier: str
    type: str
    files: list[str]
    href: str | None = None  # the file an item opens (web pages); quizzes and shared files: none
    dependencies: list[str] = field(default_factory=list)
    intended_use: str | None = None  # "lessonplan" for a facilitator's session plan
    instructor_only: bool = False


@dataclass
class Item:
    """An entry of the table of contents: a folder (with children) or a link to a resource."""

    identifier: str
    title: str
    resource: str | None = None
    children: list[Item] = field(default_factory=list)


@dataclass
class Description:
    """What the cartridge's own metadata says about the course."""

    identifier: str
    title: str
    summary: str
    language: str  # the cartridge's
    text_language: str  # course.yaml's title and summary: the course's original language


def manifest_xml(
    about: Description, items: list[Item], resources: list[Resource], profile: Profile
) -> bytes:
    """The manifest, in the order the CC schema fixes: metadata, organizations, resources."""
    names = {None: profile.package, "lomimscc": profile.lom_manifest, "xsi": XSI}
    names["lom"] = profile.lom_resource
    root = etree.Element(_cp(profile, "manifest"), nsmap=names, identifier=about.identifier)
    root.set(f"{{{XSI}}}schemaLocation", profile.schema_locations)
    _metadata(root, about, profile)
    organization = etree.SubElement(
        etree.SubElement(root, _cp(profile, "organizations")),
        _cp(profile, "organization"),
        identifier="ORGANIZATION",
        structure="rooted-hierarchy",
    )
    # The profile's one top item has no title; the course's entries are its children.
    top = etree.SubElement(organization, _cp(profile, "item"), identifier="ROOT")
    for item in items:
        _item(top, item, profile)
    listing = etree.SubElement(root, _cp(profile, "resources"))
    for resource in resources:
        _resource(listing, resource, profile)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _metadata(root: etree._Element, about: Description, profile: Profile) -> None:
    """Schema, version and the course's LOM: title, language and summary."""
    metadata = etree.SubElement(root, _cp(profile, "metadata"))
    etree.SubElement(metadata, _cp(profile, "schema")).text = "IMS Common Cartridge"
    etree.SubElement(metadata, _cp(profile, "schemaversion")).text = profile.schema_version
    general = etree.SubElement(
        etree.SubElement(metadata, _lom(profile, "lom")), _lom(profile, "general")
    )
    _lang_string(general, "title", about.title, about.text_language, profile)
    etree.SubElement(general, _lom(profile, "language")).text = about.language
    if about.summary:
        _lang_string(general, "description", about.summary, about.text_language, profile)


def _lang_string(
    parent: etree._Element, tag: str, text: str, language: str, profile: Profile
) -> None:
    """A LOM text in one language."""
    string = etree.SubElement(
        etree.SubElement(parent, _lom(profile, tag)), _lom(profile, "string"), language=language
    )
    string.text = text


def _item(parent: etree._Element, item: Item, profile: Profile) -> None:
    """An entry and, for a folder, its entries."""
    element = etree.SubElement(parent, _cp(profile, "item"), identifier=item.identifier)
    if item.resource is not None:
        element.set("identifierref", item.resource)
    etree.SubElement(element, _cp(profile, "title")).text = item.title
    for child in item.children:
        _item(element, child, profile)


def _resource(parent: etree._Element, resource: Resource, profile: Profile) -> None:
    """A resource: metadata first, then its files, then what it depends on."""
    element = etree.SubElement(
        parent, _cp(profile, "resource"), identifier=resource.identifier, type=resource.type
    )
    if resource.href is not None:
        element.set("href", resource.href)
    if resource.intended_use is not None:
        element.set("intendeduse", resource.intended_use)
    if resource.instructor_only:
        # Canvas imports such a file locked and Moodle imports it hidden from learners.
        role = etree.SubElement(
            etree.SubElement(
                etree.SubElement(
                    etree.SubElement(element, _cp(profile, "metadata")), _res(profile, "lom")
                ),
                _res(profile, "educational"),
            ),
            _res(profile, "intendedEndUserRole"),
        )
        etree.SubElement(role, _res(profile, "source")).text = profile.roles_source
        etree.SubElement(role, _res(profile, "value")).text = "Instructor"
    for href in resource.files:
        etree.SubElement(element, _cp(profile, "file"), href=href)
    for identifier in resource.dependencies:
        etree.SubElement(element, _cp(profile, "dependency"), identifierref=identifier)


def _cp(profile: Profile, tag: str) -> str:
    """An element of the manifest's own namespace."""
    return f"{{{profile.package}}}{tag}"


def _lom(profile: Profile, tag: str) -> str:
    """An element of the cartridge's LOM metadata."""
    return f"{{{profile.lom_manifest}}}{tag}"


def _res(profile: Profile, tag: str) -> str:
    """An element of a resource's LOM metadata."""
    return f"{{{profile.lom_resource}}}{tag}"
