//! Cases worked by hand, in the layout of an MRP record.

use super::*;

fn d(v: i64) -> Decimal {
    Decimal::from(v)
}

fn row(v: &[i64]) -> Vec<Decimal> {
    v.iter().map(|x| d(*x)).collect()
}

fn one_item(item: PlanItem, demand: &[i64], receipts: &[i64]) -> PlanOutput {
    let input = PlanInput {
        buckets: demand.len(),
        items: vec![item],
        bom: vec![],
        independent_demand: demand
            .iter()
            .enumerate()
            .map(|(b, q)| (0, b, d(*q)))
            .collect(),
        scheduled_receipts: receipts
            .iter()
            .enumerate()
            .map(|(b, q)| (0, b, d(*q)))
            .collect(),
    };
    plan(&input).unwrap()
}

#[test]
fn lot_for_lot_with_safety_stock_and_a_scheduled_receipt() {
    // On hand 20, safety stock 5, lead time 1; gross 10 each bucket, 5 arriving in bucket 1.
    // b0: 20 - 10 = 10.  b1: 10 + 5 - 10 = 5.  b2: 5 < 10 + 5 -> net 10.  b3: net 10.
    let out = one_item(
        PlanItem {
            lead_time: 1,
            safety_stock: d(5),
            on_hand: d(20),
            ..Default::default()
        },
        &[10, 10, 10, 10],
        &[0, 5, 0, 0],
    );
    let r = &out.records[0];
    assert_eq!(r.projected_on_hand, row(&[10, 5, 5, 5]));
    assert_eq!(r.net_requirements, row(&[0, 0, 10, 10]));
    assert_eq!(r.planned_receipts, row(&[0, 0, 10, 10]));
    assert_eq!(r.planned_releases, row(&[0, 10, 10, 0]));
    assert!(out.orders.iter().all(|o| !o.past_due));
}

#[test]
fn fixed_order_quantity_and_period_order_quantity() {
    let base = PlanItem {
        lead_time: 1,
        safety_stock: d(5),
        on_hand: d(20),
        ..Default::default()
    };
    // FOQ 25: b2 short 10 -> 25 arrive, 5 + 25 - 10 = 20; b3: 20 - 10 = 10, no order.
    let foq = one_item(
        PlanItem {
            lot_sizing: LotSizing::FixedOrderQuantity(d(25)),
            ..base.clone()
        },
        &[10, 10, 10, 10],
        &[0, 5, 0, 0],
    );
    assert_eq!(foq.records[0].projected_on_hand, row(&[10, 5, 20, 10]));
    assert_eq!(foq.records[0].planned_releases, row(&[0, 25, 0, 0]));
    // POQ 2: b2 covers b2 and b3: 20 arrive, 5 + 20 - 10 = 15, then 5.
    let poq = one_item(
        PlanItem {
            lot_sizing: LotSizing::PeriodOrderQuantity(2),
            ..base
        },
        &[10, 10, 10, 10],
        &[0, 5, 0, 0],
    );
    assert_eq!(poq.records[0].projected_on_hand, row(&[10, 5, 15, 5]));
    assert_eq!(poq.records[0].planned_receipts, row(&[0, 0, 20, 0]));
}

#[test]
fn wagner_whitin_plan_by_hand() {
    // Requirements 100, 50, 40, 50; ordering 120, holding 1: lots of 150 in b0 and 90 in b2.
    let item = PlanItem {
        lot_sizing: LotSizing::WagnerWhitin {
            ordering_cost: d(120),
            holding_cost: d(1),
        },
        ..Default::default()
    };
    let out = one_item(item, &[100, 50, 40, 50], &[0, 0, 0, 0]);
    assert_eq!(out.records[0].planned_receipts, row(&[150, 0, 90, 0]));
    assert_eq!(out.records[0].projected_on_hand, row(&[50, 0, 50, 0]));
}

#[test]
fn a_release_before_the_horizon_is_past_due() {
    // Lead time 3, short in bucket 1: the release belongs 2 buckets before the start.
    let out = one_item(
        PlanItem {
            lead_time: 3,
            on_hand: d(5),
            ..Default::default()
        },
        &[5, 8, 0, 0],
        &[0, 0, 0, 0],
    );
    assert_eq!(
        out.orders,
        vec![PlannedOrder {
            item: 0,
            quantity: d(8),
            release_bucket: 0,
            due_bucket: 1,
            past_due: true
        }]
    );
}

#[test]
fn shared_components_at_several_levels_are_netted_once_after_all_parents() {
    // A (LT 1) = 2 B + 1 C; B (LT 2) = 3 C. C (LT 1) is used at levels 1 and 2, on hand 30.
    // A: 10 due in b3 -> released b2.  B: 20 in b2 -> released b0.
    // C: gross 60 in b0 (from B) and 10 in b2 (from A).  b0: 30 short -> due b0, past due.
    //    b2: 10 short -> released b1.
    let items = vec![
        PlanItem {
            lead_time: 1,
            ..Default::default()
        },
        PlanItem {
            lead_time: 2,
            ..Default::default()
        },
        PlanItem {
            lead_time: 1,
            on_hand: d(30),
            ..Default::default()
        },
    ];
    let line = |parent, child, q| BomLine {
        parent,
        child,
        quantity_per: d(q),
        scrap: Decimal::ZERO,
        effective_from: None,
        effective_to: None,
    };
    let input = PlanInput {
        buckets: 4,
        items,
        bom: vec![line(0, 1, 2), line(0, 2, 1), line(1, 2, 3)],
        independent_demand: vec![(0, 3, d(10))],
        scheduled_receipts: vec![],
    };
    let out = plan(&input).unwrap();
    assert_eq!(out.low_level_codes, vec![0, 1, 2]);
    assert_eq!(out.records[1].gross_requirements, row(&[0, 0, 20, 0]));
    assert_eq!(out.records[1].planned_releases, row(&[20, 0, 0, 0]));
    assert_eq!(out.records[2].gross_requirements, row(&[60, 0, 10, 0]));
    assert_eq!(out.records[2].net_requirements, row(&[30, 0, 10, 0]));
    assert_eq!(out.records[2].planned_releases, row(&[30, 10, 0, 0]));
    let c_orders: Vec<_> = out
        .orders
        .iter()
        .filter(|o| o.item == 2)
        .map(|o| (o.quantity, o.past_due))
        .collect();
    assert_eq!(c_orders, vec![(d(30), true), (d(10), false)]);
}

#[test]
fn phantoms_pass_requirements_through_and_scrap_raises_them() {
    // A (LT 1) = 1 kit K (phantom, 2 on hand) ; K = 4 S with 20% scrap.
    // A releases 5 in b0 -> K needs 5, has 2 -> 3 pass through in b0 -> S needs 3 * 4 / 0.8 = 15.
    let items = vec![
        PlanItem {
            lead_time: 1,
            ..Default::default()
        },
        PlanItem {
            phantom: true,
            on_hand: d(2),
            lead_time: 9,
            ..Default::default()
        },
        PlanItem::default(),
    ];
    let input = PlanInput {
        buckets: 2,
        items,
        bom: vec![
            BomLine {
                parent: 0,
                child: 1,
                quantity_per: d(1),
                scrap: Decimal::ZERO,
                effective_from: None,
                effective_to: None,
            },
            BomLine {
                parent: 1,
                child: 2,
                quantity_per: d(4),
                scrap: Decimal::new(2, 1),
                effective_from: None,
                effective_to: None,
            },
        ],
        independent_demand: vec![(0, 1, d(5))],
        scheduled_receipts: vec![],
    };
    let out = plan(&input).unwrap();
    assert_eq!(
        out.records[1].planned_releases,
        row(&[3, 0]),
        "a phantom has no lead time"
    );
    assert_eq!(out.records[2].gross_requirements, row(&[15, 0]));
    assert!(
        out.orders.iter().all(|o| o.item != 1),
        "a phantom is never ordered"
    );
}

#[test]
fn effectivity_limits_a_bom_line_to_its_buckets() {
    // From bucket 2 on, A uses the new component N instead of the old O.
    let items = vec![
        PlanItem::default(),
        PlanItem::default(),
        PlanItem::default(),
    ];
    let input = PlanInput {
        buckets: 4,
        items,
        bom: vec![
            BomLine {
                parent: 0,
                child: 1,
                quantity_per: d(1),
                scrap: Decimal::ZERO,
                effective_from: None,
                effective_to: Some(1),
            },
            BomLine {
                parent: 0,
                child: 2,
                quantity_per: d(1),
                scrap: Decimal::ZERO,
                effective_from: Some(2),
                effective_to: None,
            },
        ],
        independent_demand: (0..4).map(|b| (0, b, d(1))).collect(),
        scheduled_receipts: vec![],
    };
    let out = plan(&input).unwrap();
    assert_eq!(out.records[1].gross_requirements, row(&[1, 1, 0, 0]));
    assert_eq!(out.records[2].gross_requirements, row(&[0, 0, 1, 1]));
}

#[test]
fn a_bom_cycle_is_an_error_naming_the_items() {
    let line = |parent, child| BomLine {
        parent,
        child,
        quantity_per: d(1),
        scrap: Decimal::ZERO,
        effective_from: None,
        effective_to: None,
    };
    let err = low_level_codes(4, &[line(0, 1), line(1, 2), line(2, 3), line(3, 1)]).unwrap_err();
    match err {
        PlanError::Cycle(mut items) => {
            items.sort();
            assert_eq!(items, vec![1, 2, 3]);
        }
        other => panic!("{other:?}"),
    }
}
