use super::*;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}
fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn component(code: &str, kind: Kind, method: Method) -> Component {
    Component {
        code: code.into(),
        kind,
        method,
        amount: None,
        rate: None,
        cap: None,
        basis: Basis::Gross,
        brackets: Vec::new(),
        rounding: None,
    }
}

/// The structure of the worked example: salary, overtime, unpaid leave; social security
/// 9.3 % of gross capped at 5,000; income tax 0/20/30 % over 1,000 and 2,000 of what is
/// left after social security; employer 20 % of gross.
fn structure() -> Vec<Component> {
    let mut ss = component("SS", Kind::Deduction, Method::Percent);
    ss.rate = Some(dec("9.3"));
    ss.cap = Some(dec("5000"));
    let mut tax = component("TAX", Kind::Deduction, Method::Brackets);
    tax.basis = Basis::GrossLessDeductions;
    tax.brackets = vec![
        Bracket {
            over: dec("0"),
            rate: dec("0"),
        },
        Bracket {
            over: dec("1000"),
            rate: dec("20"),
        },
        Bracket {
            over: dec("2000"),
            rate: dec("30"),
        },
    ];
    let mut er = component("ER", Kind::Employer, Method::Percent);
    er.rate = Some(dec("20"));
    vec![
        component("SALARY", Kind::Earning, Method::Salary),
        component("OT", Kind::Earning, Method::Overtime),
        component("UNPAID", Kind::Earning, Method::UnpaidLeave),
        ss,
        tax,
        er,
    ]
}

#[test]
fn a_month_with_overtime_unpaid_leave_tax_and_contributions() {
    let m = Month {
        spans: vec![PaySpan {
            from: d("2026-11-01"),
            to: d("2026-11-30"),
            monthly: true,
            rate: dec("3000"),
            hours_per_week: dec("40"),
            hours_worked: dec("0"),
        }],
        overtime: vec![("OT125".into(), dec("10"), dec("1.25"))],
        unpaid_days: dec("2"),
        working_days: dec("21"),
        minor_unit: 2,
        applies: None,
    };
    let slip = compute(&structure(), &m);
    let amounts: Vec<Decimal> = slip.lines.iter().map(|l| l.amount).collect();
    // 3000 × 12 / 52 / 40 = 17.307692..; × 10 × 1.25 = 216.35. 3000 / 21 × 2 = 285.71.
    // Gross 2930.64; 9.3 % = 272.55; tax on 2658.09 = 200 + 197.427 = 397.43.
    assert_eq!(
        amounts,
        [
            dec("3000"),
            dec("216.35"),
            dec("-285.71"),
            dec("272.55"),
            dec("397.43"),
            dec("586.13")
        ]
    );
    assert_eq!(
        (slip.gross, slip.deductions, slip.net, slip.employer),
        (dec("2930.64"), dec("669.98"), dec("2260.66"), dec("586.13"))
    );
}

#[test]
fn a_mid_month_start_is_paid_for_its_days_and_a_raise_from_its_day() {
    let span = |from: &str, to: &str, rate: &str| PaySpan {
        from: d(from),
        to: d(to),
        monthly: true,
        rate: dec(rate),
        hours_per_week: dec("40"),
        hours_worked: dec("0"),
    };
    let m = Month {
        spans: vec![
            span("2026-11-16", "2026-11-20", "3000"),
            span("2026-11-21", "2026-11-30", "3300"),
        ],
        minor_unit: 2,
        ..Default::default()
    };
    let slip = compute(&structure()[..1], &m);
    // 3000 × 5/30 = 500; 3300 × 10/30 = 1100.
    assert_eq!(slip.gross, dec("1600"));
    assert_eq!(slip.lines.len(), 2);
    // A structure of the salary and the employer's share alone: no tax, no deductions.
    let only = Month {
        applies: Some([0, 5].into()),
        ..m
    };
    let slip = compute(&structure(), &only);
    let lines: Vec<usize> = slip.lines.iter().map(|l| l.component).collect();
    assert_eq!(lines, [0, 0, 5]);
    assert_eq!(
        (slip.gross, slip.deductions, slip.employer),
        (dec("1600"), dec("0"), dec("320"))
    );
}

#[test]
fn brackets_tax_each_slice_at_its_rate() {
    let b = [
        Bracket {
            over: dec("0"),
            rate: dec("0"),
        },
        Bracket {
            over: dec("1000"),
            rate: dec("20"),
        },
    ];
    assert_eq!(progressive(&b, dec("900")), dec("0"));
    assert_eq!(progressive(&b, dec("1500")), dec("100"));
}

#[test]
fn rounding_is_data_per_component() {
    let r = |step: &str, mode| Rounding {
        step: Some(dec(step)),
        mode,
    };
    assert_eq!(r("1", RoundMode::Down).apply(dec("416.30"), 2), dec("416"));
    assert_eq!(r("1", RoundMode::Up).apply(dec("416.30"), 2), dec("417"));
    assert_eq!(
        r("1", RoundMode::Nearest).apply(dec("416.50"), 2),
        dec("417")
    );
    assert_eq!(
        r("0.05", RoundMode::Nearest).apply(dec("12.324"), 2),
        dec("12.30")
    );
    assert_eq!(
        r("0.05", RoundMode::Nearest).apply(dec("12.325"), 2),
        dec("12.35")
    );
    // Negative amounts round toward and away from zero alike.
    assert_eq!(
        r("1", RoundMode::Down).apply(dec("-285.71"), 2),
        dec("-285")
    );
    // Without a step, the minor unit: yen have none.
    let down = Rounding {
        step: None,
        mode: RoundMode::Down,
    };
    assert_eq!(down.apply(dec("416.99"), 0), dec("416"));
    assert_eq!(down.apply(dec("416.999"), 2), dec("416.99"));
    let mut tax = component("TAX", Kind::Deduction, Method::Brackets);
    tax.brackets = vec![
        Bracket {
            over: dec("0"),
            rate: dec("0"),
        },
        Bracket {
            over: dec("1000"),
            rate: dec("20"),
        },
        Bracket {
            over: dec("2000"),
            rate: dec("30"),
        },
    ];
    tax.rounding = Some(r("1", RoundMode::Down));
    let m = Month {
        spans: vec![PaySpan {
            from: d("2026-11-01"),
            to: d("2026-11-30"),
            monthly: true,
            rate: dec("2721"),
            hours_per_week: dec("40"),
            hours_worked: dec("0"),
        }],
        minor_unit: 2,
        ..Default::default()
    };
    let slip = compute(
        &[component("SALARY", Kind::Earning, Method::Salary), tax],
        &m,
    );
    // 20 % of 1000 + 30 % of 721 = 416.30, down to whole units.
    assert_eq!(slip.deductions, dec("416"));
}
