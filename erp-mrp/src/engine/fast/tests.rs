//! The fast engine against the exact one on random plans: every lot-sizing rule, modifiers,
//! phantoms, scrap, effectivity, fractional quantities, and net-change runs.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

use crate::engine::{
    exact, fast, low_level_codes, BomLine, LotSizing, OrderModifiers, PlanInput, PlanItem,
    PlanOutput,
};

/// A quantity with up to `places` decimals.
fn q(rng: &mut StdRng, below: i64, places: u32) -> Decimal {
    let scale = rng.random_range(0..=places);
    Decimal::new(rng.random_range(1..below * 10i64.pow(scale)), scale)
}

fn rule(rng: &mut StdRng, places: u32) -> LotSizing {
    // Whole costs make ties, where the rules' tie-breaking shows.
    let ordering_cost = q(rng, 300, places.min(2));
    let holding_cost = q(rng, 4, places.min(3));
    match rng.random_range(0..9) {
        0 => LotSizing::LotForLot,
        1 => LotSizing::FixedOrderQuantity(q(rng, 40, 2)),
        2 => LotSizing::PeriodOrderQuantity(rng.random_range(0..5)),
        3 => LotSizing::EconomicOrderQuantity {
            annual_demand: q(rng, 5000, 1),
            ordering_cost,
            annual_holding_cost: holding_cost,
        },
        4 => LotSizing::LeastUnitCost {
            ordering_cost,
            holding_cost,
        },
        5 => LotSizing::LeastTotalCost {
            ordering_cost,
            holding_cost,
        },
        6 => LotSizing::PartPeriodBalancing {
            ordering_cost,
            holding_cost,
        },
        _ => LotSizing::WagnerWhitin {
            ordering_cost,
            holding_cost,
        },
    }
}

fn item(rng: &mut StdRng, places: u32) -> PlanItem {
    let maybe = |rng: &mut StdRng, p: f64, below: i64| {
        rng.random_bool(p).then(|| q(rng, below, places.min(2)))
    };
    PlanItem {
        lead_time: rng.random_range(0..4),
        safety_stock: if rng.random_bool(0.5) {
            Decimal::ZERO
        } else {
            q(rng, 10, places)
        },
        on_hand: q(rng, 60, places) - Decimal::from(5),
        lot_sizing: rule(rng, places),
        modifiers: OrderModifiers {
            minimum: maybe(rng, 0.2, 30),
            maximum: maybe(rng, 0.15, 40),
            multiple: maybe(rng, 0.15, 8),
        },
        phantom: rng.random_bool(0.1),
    }
}

fn input(rng: &mut StdRng, places: u32) -> PlanInput {
    let n = rng.random_range(1..30);
    let h = rng.random_range(1..16);
    let mut bom = Vec::new();
    // Edges only from lower to higher index: no cycles.
    for c in 1..n {
        for p in 0..c {
            if rng.random_bool(0.12) {
                let from = rng.random_bool(0.2).then(|| rng.random_range(0..h));
                bom.push(BomLine {
                    parent: p,
                    child: c,
                    quantity_per: q(rng, 4, places),
                    scrap: if rng.random_bool(0.2) {
                        Decimal::new(rng.random_range(1..300), 3)
                    } else {
                        Decimal::ZERO
                    },
                    effective_from: from,
                    effective_to: rng.random_bool(0.2).then(|| rng.random_range(0..h)),
                });
            }
        }
    }
    let entries = |rng: &mut StdRng, count: usize| -> Vec<(usize, usize, Decimal)> {
        (0..rng.random_range(0..count))
            .map(|_| {
                (
                    rng.random_range(0..n),
                    rng.random_range(0..h),
                    q(rng, 50, places),
                )
            })
            .collect()
    };
    PlanInput {
        buckets: h,
        items: (0..n).map(|_| item(rng, places)).collect(),
        bom,
        independent_demand: entries(rng, 3 * n),
        scheduled_receipts: entries(rng, n),
        item_keys: Vec::new(),
        demand_keys: Vec::new(),
    }
}

fn assert_same(fast: &PlanOutput, exact: &PlanOutput, case: &str) {
    assert_eq!(fast.low_level_codes, exact.low_level_codes, "{case}");
    assert_eq!(fast.records, exact.records, "{case}: records");
    assert_eq!(fast.orders, exact.orders, "{case}: orders");
    assert_eq!(fast.demand_hashes, exact.demand_hashes, "{case}: hashes");
    assert_eq!(fast.pegs, exact.pegs, "{case}: pegs");
    assert_eq!(fast.messages, exact.messages, "{case}: messages");
    assert_eq!(fast.replanned, exact.replanned, "{case}: replanned");
}

fn both(input: &PlanInput, previous: Option<(&PlanOutput, &[bool])>) -> (PlanOutput, PlanOutput) {
    let codes = low_level_codes(input.items.len(), &input.bom).expect("no cycles");
    let f = fast::plan(input, &codes, previous).expect("the numbers fit");
    (f, exact::plan(input, codes, previous).expect("plans"))
}

#[test]
fn the_fast_engine_plans_as_the_exact_one_on_random_data() {
    let mut rng = StdRng::seed_from_u64(13);
    let (mut orders, mut pegs, mut messages, mut reused) = (0, 0, 0, 0);
    for round in 0..3000 {
        let places = if round % 3 == 0 { 0 } else { 6 };
        let first = input(&mut rng, places);
        let (f, e) = both(&first, None);
        assert_same(&f, &e, &format!("round {round}"));
        (orders, pegs, messages) = (
            orders + f.orders.len(),
            pegs + f.pegs.len(),
            messages + f.messages.len(),
        );
        // A net-change run after a few items changed.
        let mut second = first.clone();
        let mut changed = vec![false; second.items.len()];
        for _ in 0..rng.random_range(0..3) {
            let i = rng.random_range(0..second.items.len());
            second.items[i] = item(&mut rng, places);
            changed[i] = true;
        }
        let (f, e) = both(&second, Some((&e, &changed)));
        assert_same(&f, &e, &format!("round {round}, net change"));
        reused += f.replanned.iter().filter(|r| !**r).count();
    }
    // The comparison covers what it claims to.
    assert!(orders > 50_000 && pegs > 50_000 && messages > 5_000 && reused > 10_000);
}

#[test]
fn a_seventh_decimal_goes_to_the_exact_engine_and_a_huge_number_is_refused() {
    let mut rng = StdRng::seed_from_u64(5);
    let mut base = input(&mut rng, 2);
    while base.independent_demand.is_empty() {
        base = input(&mut rng, 2);
    }
    let codes = low_level_codes(base.items.len(), &base.bom).expect("no cycles");
    assert!(fast::plan(&base, &codes, None).is_some());
    let (item, bucket, _) = base.independent_demand[0];

    // 1.2345671 units: planned by the exact engine, the record rounded up to millionths.
    let mut x = base.clone();
    x.independent_demand = vec![(item, bucket, Decimal::new(12_345_671, 7))];
    assert!(fast::plan(&x, &codes, None).is_none());
    let out = crate::engine::plan(&x).expect("plans");
    assert_eq!(out.records.get(item).gross_requirements[bucket], 1_234_568);

    // 10^14 units do not fit the plan's millionths: a clear error, not a wrong plan.
    x.independent_demand = vec![(item, bucket, Decimal::from(10i64.pow(14)))];
    assert!(fast::plan(&x, &codes, None).is_none());
    match crate::engine::plan(&x) {
        Err(crate::engine::PlanError::Invalid(m)) => assert!(m.contains("larger than"), "{m}"),
        other => panic!("{other:?}"),
    }
}
