//! The MOTs a tracker knows ([`Registry`]), by dense index, and the
//! experience it is bound to ([`Binding`]).

use crate::events::{Ids, Key, RejectReason};
use crate::{Error, Experience, MotId};
use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

/// Which experience a tracker is bound to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Binding {
    pub(crate) id: String,
    pub(crate) version: Option<String>,
    /// FNV-1a of the MOT ids in order: two states merge only if equal.
    pub(crate) fingerprint: u64,
    /// Per MOT (in order): its SMOTO target, and its MOT Manager — what
    /// the detectors and their alarms need when the state is read back
    /// without the experience.
    pub(crate) targets: Vec<Option<f64>>,
    pub(crate) owners: Vec<Option<String>>,
}

/// The MOTs a tracker knows, by dense index.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Registry {
    pub(crate) ids: Vec<MotId>,
    pub(crate) index: HashMap<Box<str>, u32>,
    pub(crate) binding: Option<Binding>,
}

impl Registry {
    pub(super) fn bound(x: &Experience) -> Registry {
        let ids: Vec<MotId> = x.mots().iter().map(|m| m.id.clone()).collect();
        let mut r = Registry::from_ids(ids);
        r.binding = Some(Binding {
            id: x.spec().id.clone(),
            version: x.spec().version.clone(),
            fingerprint: fingerprint(&r.ids),
            targets: x.mots().iter().map(|m| m.smoto.target_rate).collect(),
            owners: x
                .mots()
                .iter()
                .map(|m| m.manager.as_ref().map(|p| p.to_string()))
                .collect(),
        });
        r
    }

    pub(crate) fn from_ids(ids: Vec<MotId>) -> Registry {
        let index = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (Box::<str>::from(id.as_str()), i as u32))
            .collect();
        Registry {
            ids,
            index,
            binding: None,
        }
    }

    /// The index of `id`, creating it in discovery mode.
    #[inline]
    pub(crate) fn resolve(&mut self, id: &str) -> Result<u32, RejectReason> {
        if id.is_empty() {
            return Err(RejectReason::MissingMot);
        }
        if let Some(&i) = self.index.get(id) {
            return if self.measures(i) {
                Ok(i)
            } else {
                Err(RejectReason::UnknownMot)
            };
        }
        if self.binding.is_some() {
            return Err(RejectReason::UnknownMot);
        }
        let i = self.ids.len() as u32;
        self.ids.push(id.into());
        self.index.insert(id.into(), i);
        Ok(i)
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether MOT `i` takes new interactions: every MOT in discovery
    /// mode; a bound tracker's MOTs of its experience, not those a new
    /// version retired ([`Tracker::rebind`](super::Tracker::rebind)), which come after them.
    #[inline]
    pub(crate) fn measures(&self, i: u32) -> bool {
        match &self.binding {
            Some(b) => (i as usize) < b.targets.len(),
            None => (i as usize) < self.ids.len(),
        }
    }

    /// The index of `id`, retired MOTs included (merging, reading states).
    pub(crate) fn position(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    /// Where `other`'s MOTs are in this registry (its MOT `m` is our
    /// `map[m]`), those we lack added (in discovery mode; 0 when they
    /// cannot be): the map every merge of another state's counts uses.
    pub(crate) fn absorb(&mut self, other: &Registry) -> Vec<u32> {
        (other.ids.iter())
            .map(|id| {
                self.position(id.as_str())
                    .or_else(|| self.resolve(id.as_str()).ok())
                    .unwrap_or(0)
            })
            .collect()
    }
}

/// Whether a map of MOTs ([`Registry::absorb`]) changes none.
pub(crate) fn is_identity(map: &[u32]) -> bool {
    map.iter().enumerate().all(|(i, &m)| i as u32 == m)
}

impl Registry {
    /// [`Registry::check_room`] for the MOT column of an input.
    pub(crate) fn check_column(&self, mot: &Ids<'_>, max_mots: usize) -> Result<(), Error> {
        if self.binding.is_some() {
            return Ok(());
        }
        match *mot {
            Ids::Dict { codes, values } => {
                // Room for every value: no need to see which rows use.
                if self.ids.len() + values.len() <= max_mots {
                    return Ok(());
                }
                // Only the values rows use (a dictionary may hold more).
                let mut used = vec![false; values.len()];
                for &c in codes {
                    if let Some(u) = used.get_mut(c as usize) {
                        *u = true;
                    }
                }
                let ids = values
                    .iter()
                    .zip(&used)
                    .filter(|(_, u)| **u)
                    .map(|(v, _)| *v);
                self.check_room(ids, max_mots)
            }
            Ids::U64(_) | Ids::U32(_) | Ids::U16(_) | Ids::I64(_) => {
                // Small non-negative ids (codes) through a flat table, others
                // through a hash map; a run of the same id is looked up once.
                const FLAT: u64 = 1 << 20;
                let mut distinct: HashMap<u64, ()> = HashMap::new();
                let mut flat = vec![false; 0];
                let mut last = None;
                for i in 0..mot.len() {
                    let Some(Key::Int(x)) = mot.get(i) else {
                        continue;
                    };
                    if last == Some(x) {
                        continue;
                    }
                    last = Some(x);
                    if x < FLAT {
                        if flat.len() <= x as usize {
                            flat.resize(x as usize + 1, false);
                        }
                        if std::mem::replace(&mut flat[x as usize], true) {
                            continue;
                        }
                    }
                    distinct.insert(x, ());
                    if distinct.len() > max_mots {
                        break;
                    }
                }
                // As the ingest names them: signed ids keep their sign.
                let signed = matches!(mot, Ids::I64(_));
                let texts: Vec<String> = distinct
                    .keys()
                    .map(|&x| {
                        if signed {
                            (x as i64).to_string()
                        } else {
                            x.to_string()
                        }
                    })
                    .collect();
                self.check_room(texts.iter().map(String::as_str), max_mots)
            }
            _ => self.check_room(
                (0..mot.len()).filter_map(|i| match mot.get(i) {
                    Some(Key::Str(s)) => Some(s),
                    _ => None,
                }),
                max_mots,
            ),
        }
    }

    /// Whether registering the new ones among `ids` stays within
    /// `max_mots` (always, for a tracker bound to an experience: it never
    /// registers ids of its own).
    pub(crate) fn check_room<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
        max_mots: usize,
    ) -> Result<(), Error> {
        if self.binding.is_some() {
            return Ok(());
        }
        let mut new: HashMap<&str, ()> = HashMap::new();
        for id in ids {
            if !id.is_empty() && !self.index.contains_key(id) {
                new.insert(id, ());
                if self.ids.len() + new.len() > max_mots {
                    return Err(Error::limit(
                        "max_mots",
                        max_mots,
                        &format!(
                            "registering MOT `{id}` would make {} distinct MOT ids",
                            self.ids.len() + new.len()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

pub(crate) fn fingerprint(ids: &[MotId]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for id in ids {
        for b in id.as_str().bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}
