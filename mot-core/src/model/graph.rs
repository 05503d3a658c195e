//! Small graph helpers shared by validation and the landscape.

/// Finds the cycles of a directed graph given as adjacency lists: one cycle
/// per strongly connected component that has one (Tarjan's algorithm,
/// iterative so that long chains cannot overflow the stack).
///
/// Each cycle starts at its smallest node and is listed without repeating
/// it; cycles are sorted by that first node. Edges to nodes `>= adj.len()`
/// are ignored.
pub(crate) fn cycles(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const NONE: usize = usize::MAX;
    let n = adj.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![NONE; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut call: Vec<(usize, usize)> = Vec::new();
    let mut next = 0usize;
    let mut n_comp = 0usize;
    let mut found = Vec::new();

    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        call.push((root, 0));
        while let Some(top) = call.last_mut() {
            let v = top.0;
            if let Some(&w) = adj[v].get(top.1) {
                top.1 += 1;
                if w >= n {
                    continue;
                }
                if index[w] == NONE {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(u, _)) = call.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] != index[v] {
                continue;
            }
            let mut members = Vec::new();
            while let Some(w) = stack.pop() {
                on_stack[w] = false;
                comp[w] = n_comp;
                members.push(w);
                if w == v {
                    break;
                }
            }
            let c = n_comp;
            n_comp += 1;
            let nontrivial = members.len() > 1 || adj[v].contains(&v);
            if !nontrivial {
                continue;
            }
            // Walk inside the component from its smallest node until a node
            // repeats: the repeated stretch is a cycle.
            let start = members.iter().copied().min().unwrap_or(v);
            let mut path = Vec::new();
            let mut seen_at = std::collections::HashMap::new();
            let mut cur = start;
            while let std::collections::hash_map::Entry::Vacant(e) = seen_at.entry(cur) {
                e.insert(path.len());
                path.push(cur);
                match adj[cur].iter().copied().find(|&w| w < n && comp[w] == c) {
                    Some(w) => cur = w,
                    None => break,
                }
            }
            let from = seen_at.get(&cur).copied().unwrap_or(0);
            let mut cycle = path.split_off(from);
            if let Some(min_at) = cycle
                .iter()
                .enumerate()
                .min_by_key(|(_, x)| **x)
                .map(|(i, _)| i)
            {
                cycle.rotate_left(min_at);
            }
            found.push(cycle);
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::cycles;

    #[test]
    fn acyclic_has_none() {
        assert!(cycles(&[vec![1], vec![2], vec![]]).is_empty());
        assert!(cycles(&[]).is_empty());
    }

    #[test]
    fn finds_self_loops_and_separate_cycles() {
        // 0 → 0; 1 → 2 → 3 → 1; 4 → 5 → 4; 6 → 1 (leads into a cycle only)
        let adj = vec![
            vec![0],
            vec![2],
            vec![3],
            vec![1],
            vec![5],
            vec![4],
            vec![1],
        ];
        assert_eq!(cycles(&adj), vec![vec![0], vec![1, 2, 3], vec![4, 5]]);
    }

    #[test]
    fn one_cycle_per_component_even_when_first_edges_leave_it() {
        // 0 ↔ 1 with 0's first edge going to 2; 2 ↔ 3.
        let adj = vec![vec![2, 1], vec![0], vec![3], vec![2]];
        assert_eq!(cycles(&adj), vec![vec![0, 1], vec![2, 3]]);
    }

    #[test]
    fn long_chain_does_not_overflow() {
        let n = 200_000;
        let mut adj: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
        adj[n - 1] = vec![0];
        let c = cycles(&adj);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].len(), n);
    }
}
