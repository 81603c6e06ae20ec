"""The Common Cartridge versions Academy writes: their namespaces, schemas and vocabularies."""

from __future__ import annotations

from dataclasses import dataclass

XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
PROFILE_BASE = "http://www.imsglobal.org/profile/cc"


@dataclass(frozen=True)
class Profile:
    """One version of the Common Cartridge specification, as its manifest and QTI files name it."""

    version: str  # "1.3": also the value of --cc-version
    package: str  # the manifest's own namespace (IMS Content Packaging, CC profile)
    lom_manifest: str  # LOM for the whole cartridge
    lom_resource: str  # LOM for one resource: here, who it is for
    assessment_type: str  # resource type of a QTI 1.2 quiz
    roles_source: str  # vocabulary of intendedEndUserRole ("Instructor" hides a resource)

    @property
    def schema_version(self) -> str:
        """The <schemaversion> the specification fixes, "1.3.0"."""
        return f"{self.version}.0"

    @property
    def slug(self) -> str:
        """How IMS writes the version inside names and addresses: v1p3."""
        return _slug(self.version)

    @property
    def schema_locations(self) -> str:
        """xsi:schemaLocation of the manifest: each namespace, then the XSD IMS publishes for it."""
        base = f"{PROFILE_BASE}/cc{self.slug}"
        pairs = [
            (self.package, f"{base}/cc{self.slug}_imscp_v1p2_v1p0.xsd"),
            (self.lom_manifest, f"{base}/LOM/cc{self.slug}_lommanifest_v1p0.xsd"),
            (self.lom_resource, f"{base}/LOM/cc{self.slug}_lomresource_v1p0.xsd"),
        ]
        return " ".join(f"{namespace} {location}" for namespace, location in pairs)

    @property
    def qti_schema_location(self) -> str:
        """xsi:schemaLocation of a quiz file: QTI 1.2.1 as this version profiles it."""
        return f"{QTI} {PROFILE_BASE}/cc{self.slug}/cc{self.slug}_qtiasiv1p2p1_v1p0.xsd"


def _profile(version: str, roles: str) -> Profile:
    """A profile whose namespaces follow IMS's pattern for `version` ("1.3" → imsccv1p3)."""
    slug = _slug(version)
    return Profile(
        version=version,
        package=f"http://www.imsglobal.org/xsd/imscc{slug}/imscp_v1p1",
        lom_manifest=f"http://ltsc.ieee.org/xsd/imscc{slug}/LOM/manifest",
        lom_resource=f"http://ltsc.ieee.org/xsd/imscc{slug}/LOM/resource",
        # Quizzes stay QTI 1.2 in every version; only the cartridge part of the type changes.
        assessment_type=f"imsqti_xmlv1p2/imscc_xml{slug}/assessment",
        roles_source=roles,
    )


def _slug(version: str) -> str:
    """Write a version as IMS does in names: 1.3 → v1p3."""
    return "v" + version.replace(".", "p")


# 1.3 is the current version, which Canvas imports. Moodle's restore recognises only 1.0 and
# 1.1 packages (backup/converter/imscc11 looks for the imsccv1p1 namespace), hence 1.1 too.
PROFILES = {
    "1.3": _profile("1.3", "IMSGLC_CC_Rolesv1p3"),
    "1.1": _profile("1.1", "IMSGLC_CC_Rolesv1p1"),
}
DEFAULT_VERSION = "1.3"
