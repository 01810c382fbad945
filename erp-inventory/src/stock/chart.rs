//! Stock value drawn as a chart (drawing only: the numbers are the valuation report's).

use std::collections::{BTreeMap, HashMap};

use erp_core::chart::BarChart;
use erp_core::money::Money;
use rust_decimal::Decimal;

use super::dto::ValuationReport;
use crate::ids::{ItemId, WarehouseId};
use crate::valuation::abc::{classify, AbcClass};

/// Stock value per warehouse, then the ABC picture: how many items make up the first 80% of
/// the value (A), the next 15% (B) and the rest (C), and their value.
pub fn valuation(r: &ValuationReport, warehouse_names: &HashMap<WarehouseId, String>) -> BarChart {
    let mut chart = BarChart::new(
        "Stock value",
        "The value of the stock in each warehouse, and the items by ABC class: A the items making up the first 80% of the value, B the next 15%, C the rest",
        &["value"],
    );
    let mut by_warehouse: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut by_item: HashMap<ItemId, i64> = HashMap::new();
    for l in &r.items {
        let name = warehouse_names
            .get(&l.warehouse_id)
            .cloned()
            .unwrap_or_else(|| l.warehouse_id.to_string());
        *by_warehouse.entry(name).or_default() += l.value.value();
        *by_item.entry(l.item_id).or_default() += l.value.to_scaled().unwrap_or(0);
    }
    let money = |d: Decimal| {
        Money::new(d)
            .map(|m| m.to_string())
            .unwrap_or_else(|_| d.to_string())
    };
    for (name, value) in by_warehouse {
        chart.row(format!("Warehouse {name}"), vec![value], None, money(value));
    }
    let values: Vec<(String, i64)> = by_item.iter().map(|(i, v)| (i.to_string(), *v)).collect();
    let classes = classify(&values);
    for (class, letter) in [(AbcClass::A, "A"), (AbcClass::B, "B"), (AbcClass::C, "C")] {
        let members: Vec<i64> = values
            .iter()
            .filter(|(id, _)| classes.get(id) == Some(&class))
            .map(|(_, v)| *v)
            .collect();
        let value = Money::from_scaled(members.iter().sum()).value();
        chart.row(
            format!("Class {letter}"),
            vec![value],
            None,
            format!("{} items, {}", members.len(), money(value)),
        );
    }
    chart
}
