//! Integer MOT ids as codes for the bulk read (`fast.rs`): their own
//! codes when small, else codes into their distinct values, each named by
//! its decimal text as the general path names it.

use super::fast::Code;
use crate::events::{Ids, Key};

/// Small integer ids: at most this many codes (a flat table of them).
const FLAT: u64 = 1 << 20;

/// Integer ids below this are their own codes ([`own_codes`]): every code
/// up to the largest id has a name and a slot (about 3 MB at most).
const OWN: usize = 1 << 16;

/// `u32` ids below [`OWN`] (and `u16` ids) as their own codes:
/// no code column is made, the ids are read where they lie. The name of
/// each code rows use is its decimal text, as the general path names it; codes no row uses are named by an
/// empty text that no row reaches. Returns those names (by code) and how
/// many codes rows use; `None` for an id of [`OWN`] or more, or more than
/// `cap` distinct ids (the limit on MOTs: the caller reports it).
pub(super) fn own_codes<C: Code>(ids: &[C], cap: usize) -> Option<(Vec<String>, usize)> {
    // One pass: each id marks its code, or is too large.
    let mut used = vec![false; OWN];
    for &v in ids {
        *used.get_mut(v.index())? = true;
    }
    let top = used.iter().rposition(|&u| u).map_or(0, |m| m + 1);
    used.truncate(top);
    let distinct = used.iter().filter(|&&u| u).count();
    if distinct > cap {
        return None;
    }
    let names = used
        .iter()
        .enumerate()
        .map(|(v, &u)| if u { v.to_string() } else { String::new() })
        .collect();
    Some((names, distinct))
}

/// Integer ids as codes into their distinct values' decimal text (in order
/// of first appearance): signed ids keep their sign. `None` past `cap`
/// distinct values (the limit on MOTs: the caller reports it).
pub(super) fn int_dict_encode(ids: &Ids<'_>, cap: usize) -> Option<(Vec<u32>, Vec<String>)> {
    let signed = matches!(ids, Ids::I64(_));
    let name = |v: u64| {
        if signed {
            (v as i64).to_string()
        } else {
            v.to_string()
        }
    };
    // Small codes index a flat table; others go through a hash map.
    let values = (0..ids.len()).filter_map(|i| match ids.get(i) {
        Some(Key::Int(v)) => Some(v),
        _ => None,
    });
    if let Some(max) = values.clone().max()
        && max < FLAT
    {
        let mut table = vec![u32::MAX; max as usize + 1];
        let mut names = Vec::new();
        let codes = (0..ids.len())
            .map(|i| match ids.get(i) {
                Some(Key::Int(v)) => {
                    let slot = &mut table[v as usize];
                    if *slot == u32::MAX {
                        *slot = u32::try_from(names.len()).unwrap_or(u32::MAX);
                        names.push(name(v));
                    }
                    *slot
                }
                _ => u32::MAX,
            })
            .collect();
        return (names.len() <= cap).then_some((codes, names));
    }
    let mut index: hashbrown::HashMap<u64, u32> = hashbrown::HashMap::new();
    let mut names = Vec::new();
    let mut codes = Vec::with_capacity(ids.len());
    let mut last: Option<(u64, u32)> = None;
    for i in 0..ids.len() {
        let Some(Key::Int(v)) = ids.get(i) else {
            codes.push(u32::MAX);
            continue;
        };
        let code = match last {
            Some((prev, code)) if prev == v => code,
            _ => {
                let code = *index.entry(v).or_insert_with(|| {
                    names.push(name(v));
                    u32::try_from(names.len() - 1).unwrap_or(u32::MAX)
                });
                if names.len() > cap {
                    return None;
                }
                last = Some((v, code));
                code
            }
        };
        codes.push(code);
    }
    Some((codes, names))
}
