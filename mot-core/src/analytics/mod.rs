//! The analytics: the statistics behind every published number — Wilson
//! intervals ([`stats`]), lift and exact Markov removal effects
//! ([`impact`]), trends with p-chart limits ([`trend`]), the alignment rule
//! ([`alignment`]), conformance to the designed journey ([`conformance`]),
//! durations with mergeable percentiles ([`timing`]) and compensated sums
//! ([`numeric`]). The dashboard
//! ([`crate::dashboard`]) computes its figures with them.

pub mod alignment;
pub mod conformance;
pub mod cusum;
pub mod impact;
pub mod numeric;
pub mod risk;
pub mod stats;
pub mod timing;
pub mod trend;
