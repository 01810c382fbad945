//! ABC classification by value: the items making up the first 80% of the value are A, the
//! next 15% B, the rest (and anything without value) C.

use std::collections::HashMap;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AbcClass {
    A,
    B,
    C,
}

/// Classifies items by their value (any consistent unit, e.g. money ×10^4).
pub fn classify<K: Ord + std::hash::Hash + Clone>(values: &[(K, i64)]) -> HashMap<K, AbcClass> {
    let mut sorted: Vec<&(K, i64)> = values.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total: i128 = sorted.iter().map(|(_, v)| i128::from((*v).max(0))).sum();
    let mut before: i128 = 0;
    let mut out = HashMap::new();
    for (id, value) in sorted {
        let value = i128::from((*value).max(0));
        // The class is decided by where the item starts: an item that crosses 80% is still A.
        let class = if value == 0 || total == 0 {
            AbcClass::C
        } else if before * 100 < total * 80 {
            AbcClass::A
        } else if before * 100 < total * 95 {
            AbcClass::B
        } else {
            AbcClass::C
        };
        out.insert(id.clone(), class);
        before += value;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_by_cumulative_value() {
        let values: Vec<(String, i64)> = [
            ("a", 700),
            ("b", 150),
            ("c", 90),
            ("d", 40),
            ("e", 20),
            ("z", 0),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
        let c = classify(&values);
        assert_eq!(c["a"], AbcClass::A, "starts at 0%");
        assert_eq!(
            c["b"],
            AbcClass::A,
            "starts at 70%: crosses 80% but is still A"
        );
        assert_eq!(c["c"], AbcClass::B, "starts at 85%");
        assert_eq!(c["d"], AbcClass::B, "starts at 94%");
        assert_eq!(c["e"], AbcClass::C, "starts at 98%");
        assert_eq!(c["z"], AbcClass::C, "no value");
        assert!(classify::<String>(&[]).is_empty());
    }
}
