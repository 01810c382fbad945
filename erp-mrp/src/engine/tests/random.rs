//! Properties checked on random plans.

use super::*;

/// Random plans: a net-change run from any earlier plan gives what a regenerative run gives.
#[test]
fn net_change_gives_the_regenerative_answer_on_random_data() {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(7);
    let (mut reused, mut total) = (0, 0);
    for round in 0..200 {
        let n = rng.random_range(2..25);
        let h = rng.random_range(3..10);
        let random_item = |rng: &mut StdRng| PlanItem {
            lead_time: rng.random_range(0..3),
            safety_stock: d(rng.random_range(0..3)),
            on_hand: d(rng.random_range(0..30)),
            lot_sizing: match rng.random_range(0..4) {
                0 => LotSizing::LotForLot,
                1 => LotSizing::FixedOrderQuantity(d(rng.random_range(1..20))),
                2 => LotSizing::PeriodOrderQuantity(rng.random_range(1..4)),
                _ => LotSizing::WagnerWhitin {
                    ordering_cost: d(50),
                    holding_cost: d(1),
                },
            },
            modifiers: OrderModifiers::default(),
            phantom: rng.random_bool(0.1),
        };
        let items: Vec<PlanItem> = (0..n).map(|_| random_item(&mut rng)).collect();
        // Edges only from lower to higher index: no cycles.
        let mut bom = Vec::new();
        for c in 1..n {
            for p in 0..c {
                if rng.random_bool(0.15) {
                    bom.push(line(p, c, rng.random_range(1..4)));
                }
            }
        }
        let demand = |rng: &mut StdRng| -> Vec<(usize, usize, Decimal)> {
            (0..rng.random_range(1..12))
                .map(|_| {
                    (
                        rng.random_range(0..n),
                        rng.random_range(0..h),
                        d(rng.random_range(1..40)),
                    )
                })
                .collect()
        };
        let first = PlanInput {
            buckets: h,
            items: items.clone(),
            bom: bom.clone(),
            independent_demand: demand(&mut rng),
            scheduled_receipts: demand(&mut rng),
            ..Default::default()
        };
        let before = plan(&first).unwrap();
        // Change a few items' data, and the demand and receipts of a few others.
        let mut second = first.clone();
        let mut changed = vec![false; n];
        for _ in 0..rng.random_range(0..4) {
            let i = rng.random_range(0..n);
            second.items[i] = random_item(&mut rng);
            changed[i] = true;
        }
        if rng.random_bool(0.5) {
            let extra = demand(&mut rng);
            for &(i, _, _) in &extra {
                changed[i] = true;
            }
            second.independent_demand.extend(extra);
        }
        let regenerative = plan(&second).unwrap();
        let net = plan_net_change(&second, &before, &changed).unwrap();
        assert_eq!(net.records, regenerative.records, "round {round}");
        assert_eq!(net.orders, regenerative.orders, "round {round}");
        assert_eq!(net.pegs, regenerative.pegs, "round {round}");
        assert_eq!(net.messages, regenerative.messages, "round {round}");
        if changed.iter().all(|c| !c) {
            assert!(
                net.replanned.iter().all(|r| !r),
                "round {round}: nothing changed"
            );
        }
        reused += net.replanned.iter().filter(|r| !**r).count();
        total += n;
    }
    // The comparison means something only if most items were taken over, not re-planned.
    assert!(reused * 2 > total, "{reused} of {total} items reused");
}

/// The cost of covering `r` with lots starting at the given buckets.
fn plan_cost(r: &[Decimal], lots: &[usize], ordering: Decimal, holding: Decimal) -> Decimal {
    let mut cost = Decimal::ZERO;
    let mut start = 0;
    for &k in lots {
        cost += ordering;
        for (j, q) in r[start..start + k].iter().enumerate() {
            cost += Decimal::from(j) * *q * holding;
        }
        start += k;
    }
    cost
}

/// Wagner-Whitin with the planning-horizon shortcut finds plans as cheap as the full search.
#[test]
fn wagner_whitin_is_optimal_on_random_requirements() {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(11);
    for _ in 0..300 {
        let n = rng.random_range(1..14);
        let mut r: Vec<Decimal> = (0..n)
            .map(|_| {
                if rng.random_bool(0.3) {
                    Decimal::ZERO
                } else {
                    d(rng.random_range(1..60))
                }
            })
            .collect();
        r[0] = d(rng.random_range(1..60));
        let (s, h) = (d(rng.random_range(10..200)), d(rng.random_range(1..4)));
        let lots = lot_sizing::wagner_whitin(&r, s, h);
        assert_eq!(lots.iter().sum::<usize>(), n, "the lots cover the horizon");
        // Full search: every subset of lot starts that includes bucket 0.
        let mut best = None::<Decimal>;
        for mask in 0..(1u32 << (n - 1)) {
            let mut starts = vec![0];
            starts.extend((1..n).filter(|i| mask & (1 << (i - 1)) != 0));
            let mut sizes: Vec<usize> = starts.windows(2).map(|w| w[1] - w[0]).collect();
            sizes.push(n - starts.last().unwrap());
            let c = plan_cost(&r, &sizes, s, h);
            best = Some(best.map_or(c, |b: Decimal| b.min(c)));
        }
        assert_eq!(
            plan_cost(&r, &lots, s, h),
            best.unwrap(),
            "r={r:?} s={s} h={h}"
        );
    }
}
