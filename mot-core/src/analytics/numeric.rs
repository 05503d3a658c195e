//! Compensated summation, so that sums of many floats do not drift with the
//! order they are added in.

/// A Neumaier (improved Kahan–Babuška) running sum: the error of each
/// addition is carried in a second term, so the total is as accurate as if
/// it were computed in roughly twice the precision.
///
/// ```
/// use mot_core::numeric::Sum;
///
/// let mut s = Sum::default();
/// for x in [1e16, 1.0, -1e16] {
///     s.add(x);
/// }
/// assert_eq!(s.value(), 1.0); // naive summation gives 0.0
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sum {
    sum: f64,
    carry: f64,
}

impl Sum {
    /// Adds `x`.
    #[inline]
    #[cfg_attr(mot_speed, optimize(speed))]
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.carry += (self.sum - t) + x;
        } else {
            self.carry += (x - t) + self.sum;
        }
        self.sum = t;
    }

    /// Adds another running sum.
    #[inline]
    pub fn merge(&mut self, other: Sum) {
        self.add(other.sum);
        self.add(other.carry);
    }

    /// The sum.
    #[inline]
    pub fn value(&self) -> f64 {
        self.sum + self.carry
    }
}

impl FromIterator<f64> for Sum {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut s = Sum::default();
        for x in iter {
            s.add(x);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::Sum;

    #[test]
    fn order_does_not_matter_for_hard_cases() {
        let xs = [1e100, 1.0, -1e100, 0.5, 3.0];
        let fwd: Sum = xs.iter().copied().collect();
        let back: Sum = xs.iter().rev().copied().collect();
        assert_eq!(fwd.value(), 4.5);
        assert_eq!(back.value(), 4.5);
    }

    #[test]
    fn merge_equals_single_pass() {
        let xs: Vec<f64> = (0..1000).map(|i| (i as f64).sin() * 1e6 + 0.1).collect();
        let whole: Sum = xs.iter().copied().collect();
        let mut a: Sum = xs[..317].iter().copied().collect();
        let b: Sum = xs[317..].iter().copied().collect();
        a.merge(b);
        assert!((a.value() - whole.value()).abs() <= 1e-12 * whole.value().abs());
    }
}
