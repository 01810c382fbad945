//! `erp demo`: a living company for newcomers: two branches with warehouses, suppliers and
//! customers, a few hundred items with stock, and open documents. Written through the same
//! services as the API, acting as the `admin` user, so every record is valid and audited.

use erp_core::address::Address;
use erp_core::auth::{Actor, AuthMethod, BranchScope, PermissionSet};
use erp_core::db::{write_tx, Db, DbConnection};
use erp_core::error::AppError;
use erp_core::ids::PartnerId;
use erp_core::money::{Money, Price, Qty};
use erp_core::org::branch;
use erp_core::partner::{self, dto::*};
use erp_inventory::ids::{ItemId, LocationId};
use erp_inventory::item::dto::{
    CreateItemRequest, ItemType, Procurement, Tracking, ValuationMethod,
};
use erp_inventory::purchase::dto::{
    CreatePurchaseOrderRequest, PurchaseOrderLineInput, PurchaseOrderStatus, ReceiptLineInput,
    ReceivePurchaseOrderRequest,
};
use erp_inventory::stock::dto::{MoveType, PostMoveRequest};
use erp_inventory::transfer::dto::{CreateTransferRequest, TransferLineInput};
use erp_inventory::warehouse::dto::{CreateWarehouseRequest, WarehouseResponse};
use erp_inventory::{item, purchase, reservation, stock, transfer, uom, warehouse};
use rust_decimal::Decimal;

const ITEMS: usize = 300;

/// The admin user, acting with every permission.
fn admin_actor(conn: &mut DbConnection) -> Result<Actor, AppError> {
    let admin = erp_core::iam::user::repo::find_by_username(conn, "admin")?.ok_or_else(|| {
        AppError::conflict(
            "not_initialised",
            "start the server once to create the admin user",
        )
    })?;
    Ok(Actor {
        user_id: admin.id,
        company_id: admin.company_id,
        username: admin.username,
        permissions: PermissionSet::new(["*".to_string()]),
        branches: BranchScope::All,
        method: AuthMethod::AccessToken,
        request_id: Some("erp-demo".into()),
    })
}

fn q(v: i64) -> Qty {
    Qty::new(Decimal::from(v)).unwrap_or_default()
}

fn partner_of(
    conn: &mut DbConnection,
    actor: &Actor,
    name: &str,
    role: PartnerRole,
    city: &str,
) -> Result<PartnerId, AppError> {
    let p = partner::service::create_partner(
        conn,
        actor,
        CreatePartnerRequest {
            id: None,
            kind: PartnerKind::Organisation,
            name: Some(name.into()),
            legal_name: Some(format!("{name} GmbH")),
            first_name: None,
            last_name: None,
            tax_id: None,
            registration_number: None,
            website: None,
            notes: None,
            roles: vec![role],
            addresses: vec![PartnerAddressDto {
                purpose: AddressPurpose::Office,
                line1: "1 Industriestrasse".into(),
                line2: None,
                city: Some(city.into()),
                region: None,
                postal_code: None,
                country: Some("DE".into()),
                is_primary: true,
            }],
            phones: vec![],
            emails: vec![ContactPointDto {
                label: None,
                value: format!("orders@{}.example", name.to_lowercase().replace(' ', "-")),
                is_primary: true,
            }],
        },
    )?;
    Ok(p.id)
}

/// Creates the demo data unless it is there already. Returns a summary line.
pub fn load(db: &Db) -> Result<String, AppError> {
    let mut conn = db.get()?;
    let conn = &mut *conn;
    let actor = admin_actor(conn)?;
    let existing = warehouse::service::list_warehouses(conn, &actor)?;
    if existing.items.iter().any(|w| w.code == "CENTRAL") {
        return Ok("the demo data is there already".into());
    }
    write_tx(conn, |conn| {
        let sites = sites(conn, &actor)?;
        let suppliers = partners(conn, &actor)?;
        let items = items(conn, &actor, &suppliers)?;
        opening_stock(conn, &actor, &sites, &items)?;
        let (po, tr) = open_documents(conn, &actor, &sites, &suppliers, &items)?;
        Ok(format!(
            "demo data loaded: branches HQ and BER, warehouses CENTRAL and BER, {ITEMS} items with stock, 8 partners, {po} and {tr} open"
        ))
    })
}

/// The two warehouses, one per branch, and their stock locations.
struct Sites {
    central: WarehouseResponse,
    ber: WarehouseResponse,
    central_stock: LocationId,
    ber_stock: LocationId,
}

/// A second branch (Berlin) beside the head office, and a warehouse in each.
fn sites(conn: &mut DbConnection, actor: &Actor) -> Result<Sites, AppError> {
    let hq = branch::service::list_branches(conn, actor, &Default::default())?.items[0].id;
    let berlin = branch::service::create_branch(
        conn,
        actor,
        branch::dto::CreateBranchRequest {
            id: None,
            code: "BER".into(),
            name: "Berlin office".into(),
            currency: None,
            time_zone: Some("Europe/Berlin".into()),
            address: Address {
                city: Some("Berlin".into()),
                country: Some("DE".into()),
                ..Address::default()
            },
        },
    )?
    .id;
    let central = warehouse::service::create_warehouse(
        conn,
        actor,
        CreateWarehouseRequest {
            id: None,
            branch_id: hq,
            code: "CENTRAL".into(),
            name: "Central warehouse".into(),
            allow_negative: false,
        },
    )?;
    let ber = warehouse::service::create_warehouse(
        conn,
        actor,
        CreateWarehouseRequest {
            id: None,
            branch_id: berlin,
            code: "BER".into(),
            name: "Berlin shop".into(),
            allow_negative: false,
        },
    )?;
    let stock_of =
        |w: &WarehouseResponse| w.locations.iter().find(|l| l.code == "STOCK").map(|l| l.id);
    let (central_stock, ber_stock) = (
        stock_of(&central).unwrap_or_default(),
        stock_of(&ber).unwrap_or_default(),
    );
    Ok(Sites {
        central,
        ber,
        central_stock,
        ber_stock,
    })
}

/// Five suppliers and three customers; gives the suppliers.
fn partners(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<PartnerId>, AppError> {
    let mut suppliers = Vec::new();
    for (name, city) in [
        ("Stahlwerk Nord", "Hamburg"),
        ("Kunststoff AG", "Cologne"),
        ("Elektro Teile", "Munich"),
        ("Verpackung Plus", "Leipzig"),
        ("Schrauben Mayer", "Stuttgart"),
    ] {
        suppliers.push(partner_of(conn, actor, name, PartnerRole::Supplier, city)?);
    }
    for (name, city) in [
        ("Baumarkt Schulz", "Berlin"),
        ("Werkstatt Klein", "Potsdam"),
        ("Industrie Hoffmann", "Dresden"),
    ] {
        partner_of(conn, actor, name, PartnerRole::Customer, city)?;
    }

    Ok(suppliers)
}

/// An item of the demo: its id, its standard cost, and whether it is tracked by lot.
type DemoItem = (ItemId, Money, bool);

/// Units, categories and the items: raw material by the kilogram, parts and products by
/// the piece, each third made rather than bought.
fn items(
    conn: &mut DbConnection,
    actor: &Actor,
    suppliers: &[PartnerId],
) -> Result<Vec<DemoItem>, AppError> {
    let ea = uom::service::create_uom(
        conn,
        actor,
        uom::dto::CreateUomRequest {
            code: "ea".into(),
            name: "each".into(),
        },
    )?
    .id;
    let kg = uom::service::create_uom(
        conn,
        actor,
        uom::dto::CreateUomRequest {
            code: "kg".into(),
            name: "kilogram".into(),
        },
    )?
    .id;
    let mut categories = Vec::new();
    for (code, name) in [
        ("RAW", "Raw materials"),
        ("PARTS", "Parts"),
        ("FIN", "Finished goods"),
    ] {
        categories.push(
            uom::service::create_category(
                conn,
                actor,
                uom::dto::CreateCategoryRequest {
                    code: code.into(),
                    name: name.into(),
                    parent_id: None,
                },
            )?
            .id,
        );
    }
    let mut items = Vec::new();
    for i in 0..ITEMS {
        let (category, prefix, unit) = match i % 3 {
            0 => (categories[0], "RAW", kg),
            1 => (categories[1], "PRT", ea),
            _ => (categories[2], "FIN", ea),
        };
        let cost = Money::new(Decimal::new(150 + (i as i64 * 37) % 9_000, 2)).unwrap_or_default();
        let supplier = suppliers[i % suppliers.len()];
        let created = item::service::create_item(
            conn,
            actor,
            CreateItemRequest {
                id: None,
                sku: format!("{prefix}-{:04}", i + 1),
                name: format!(
                    "{} {}",
                    ["Steel sheet", "Bracket", "Control unit"][i % 3],
                    i + 1
                ),
                description: None,
                category_id: Some(category),
                item_type: ItemType::Stocked,
                procurement: if i % 3 == 2 {
                    Procurement::Make
                } else {
                    Procurement::Buy
                },
                tracking: if i % 25 == 0 {
                    Tracking::Lot
                } else {
                    Tracking::None
                },
                valuation: if i % 2 == 0 {
                    ValuationMethod::MovingAverage
                } else {
                    ValuationMethod::Fifo
                },
                base_uom_id: unit,
                units: vec![],
                barcode: Some(format!("400{:010}", i + 1)),
                standard_cost: Some(cost),
                default_supplier_id: (i % 3 != 2).then_some(supplier),
                supplier_price: (i % 3 != 2).then(|| Price::new(cost.value()).unwrap_or_default()),
                // Parts and products sell at 1.5 times their cost; raw material is not sold.
                sales_price: (i % 3 != 0).then(|| {
                    Price::new((cost.value() * Decimal::new(15, 1)).round_dp(2)).unwrap_or_default()
                }),
                lead_time_days: Some(3 + (i % 10) as i32),
                reorder_point: (i % 7 == 0).then(|| q(50)),
                reorder_max: (i % 7 == 0).then(|| q(200)),
            },
        )?;
        items.push((created.id, cost, i % 25 == 0));
    }
    Ok(items)
}

/// Opening stock of every item: most of it in the central warehouse, some in Berlin.
fn opening_stock(
    conn: &mut DbConnection,
    actor: &Actor,
    sites: &Sites,
    items: &[DemoItem],
) -> Result<(), AppError> {
    for (n, (id, cost, lot)) in items.iter().enumerate() {
        for (location, qty) in [
            (sites.central_stock, 40 + (n as i64 * 13) % 400),
            (sites.ber_stock, (n as i64 * 7) % 30),
        ] {
            if qty == 0 {
                continue;
            }
            stock::post::post_move(
                conn,
                actor,
                PostMoveRequest {
                    move_type: MoveType::Receipt,
                    item_id: *id,
                    quantity: q(qty),
                    uom_id: None,
                    from_location_id: None,
                    to_location_id: Some(location),
                    lot: lot.then(|| "LOT-2026-01".to_string()),
                    unit_cost: Some(Price::new(cost.value()).unwrap_or_default()),
                    reference_type: Some("opening_balance".into()),
                    reference_id: None,
                    reservation_id: None,
                    note: None,
                    effective_at: None,
                },
            )?;
        }
    }
    Ok(())
}

/// Open documents: a purchase order partly received, a transfer on its way, a reservation.
/// Gives the order's and the transfer's numbers.
fn open_documents(
    conn: &mut DbConnection,
    actor: &Actor,
    sites: &Sites,
    suppliers: &[PartnerId],
    items: &[DemoItem],
) -> Result<(String, String), AppError> {
    let po = purchase::service::create_purchase_order(
        conn,
        actor,
        CreatePurchaseOrderRequest {
            id: None,
            supplier_id: suppliers[1],
            warehouse_id: sites.central.id,
            currency: None,
            order_date: None,
            expected_date: None,
            over_receipt_tolerance: None,
            notes: Some("Demo order".into()),
            lines: [1usize, 16, 31]
                .iter()
                .map(|&i| PurchaseOrderLineInput {
                    item_id: items[i].0,
                    quantity: q(100),
                    uom_id: None,
                    unit_price: None,
                    expected_date: None,
                })
                .collect(),
        },
    )?;
    purchase::service::transition(
        conn,
        actor,
        po.id,
        "confirm",
        &["draft"],
        PurchaseOrderStatus::Confirmed,
    )?;
    purchase::receive::receive_purchase_order(
        conn,
        actor,
        po.id,
        ReceivePurchaseOrderRequest {
            location_id: None,
            lines: vec![ReceiptLineInput {
                line_id: po.lines[0].id,
                quantity: q(60),
                lot: None,
            }],
            effective_at: None,
        },
    )?;
    let tr = transfer::service::create_transfer(
        conn,
        actor,
        CreateTransferRequest {
            from_warehouse_id: sites.central.id,
            to_warehouse_id: sites.ber.id,
            notes: Some("Weekly replenishment of the Berlin shop".into()),
            lines: vec![TransferLineInput {
                item_id: items[2].0,
                quantity: q(10),
                lot: None,
                from_location_id: None,
            }],
        },
    )?;
    transfer::service::ship_transfer(conn, actor, tr.id)?;
    reservation::service::create_reservation(
        conn,
        actor,
        erp_inventory::reservation::dto::CreateReservationRequest {
            item_id: items[5].0,
            location_id: sites.central_stock,
            lot: None,
            quantity: q(5),
            uom_id: None,
            reference_type: Some("sales_order".into()),
            reference_id: Some("SO-DEMO-1".into()),
        },
    )?;
    Ok((po.number, tr.number))
}
