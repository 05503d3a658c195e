//! The model: the method's concepts as checked, serialisable types — the
//! customer experience and its SCO, the MOTs with their interaction types,
//! SMOTOs and owners, people and roles, designs, ideas, maturity, the five
//! dimensions, the Customer Performance Landscape, framework versions and
//! their pictures. Everything here is re-exported at the crate root
//! ([`crate::Experience`], [`crate::Mot`], ...).

pub(crate) mod design;
pub(crate) mod dimensions;
pub(crate) mod experience;
pub(crate) mod graph;
pub(crate) mod id;
pub(crate) mod ideas;
pub(crate) mod illustrate;
pub mod landscape;
pub(crate) mod maturity;
pub(crate) mod moment;
pub(crate) mod mot;
pub(crate) mod roles;
pub(crate) mod taxonomy;
pub(crate) mod versions;
