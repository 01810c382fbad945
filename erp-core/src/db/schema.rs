//! The one portable schema, written by hand for both backends (see DESIGN.md §2).
//! Only types both backends share: Text, BigInt, Integer, Bool, Timestamp, Binary.

diesel::table! {
    system_settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    auth_generation (id) {
        id -> Integer,
        value -> BigInt,
    }
}

diesel::table! {
    companies (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        currency -> Text,
        time_zone -> Text,
        address_line1 -> Nullable<Text>,
        address_line2 -> Nullable<Text>,
        city -> Nullable<Text>,
        region -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        country -> Nullable<Text>,
        tax_id -> Nullable<Text>,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        stock_backdate_days -> Integer,
    }
}

diesel::table! {
    branches (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        currency -> Text,
        time_zone -> Text,
        address_line1 -> Nullable<Text>,
        address_line2 -> Nullable<Text>,
        city -> Nullable<Text>,
        region -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        country -> Nullable<Text>,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partners (id) {
        id -> Text,
        company_id -> Text,
        kind -> Text,
        name -> Text,
        legal_name -> Nullable<Text>,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        tax_id -> Nullable<Text>,
        registration_number -> Nullable<Text>,
        website -> Nullable<Text>,
        notes -> Nullable<Text>,
        is_customer -> Bool,
        is_supplier -> Bool,
        is_employee_contact -> Bool,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partner_addresses (id) {
        id -> Text,
        partner_id -> Text,
        position -> Integer,
        purpose -> Text,
        line1 -> Text,
        line2 -> Nullable<Text>,
        city -> Nullable<Text>,
        region -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        country -> Nullable<Text>,
        is_primary -> Bool,
    }
}

diesel::table! {
    pending_data_migrations (name) {
        name -> Text,
    }
}

diesel::table! {
    partner_contacts (id) {
        id -> Text,
        partner_id -> Text,
        position -> Integer,
        channel -> Text,
        label -> Nullable<Text>,
        value -> Text,
        normalized -> Text,
        is_primary -> Bool,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        company_id -> Text,
        username -> Text,
        display_name -> Text,
        email -> Nullable<Text>,
        password_hash -> Text,
        active -> Bool,
        all_branches -> Bool,
        password_changed_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    roles (id) {
        id -> Text,
        company_id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        builtin -> Bool,
    }
}

diesel::table! {
    role_permissions (role_id, permission) {
        role_id -> Text,
        permission -> Text,
    }
}

diesel::table! {
    user_roles (user_id, role_id) {
        user_id -> Text,
        role_id -> Text,
    }
}

diesel::table! {
    user_branches (user_id, branch_id) {
        user_id -> Text,
        branch_id -> Text,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        session_id -> Text,
    }
}

diesel::table! {
    login_throttle (throttle_key) {
        throttle_key -> Text,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    login_known_addresses (user_id, address) {
        user_id -> Text,
        address -> Text,
        last_success_at -> Timestamp,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        company_id -> Text,
        user_id -> Text,
        name -> Text,
        prefix -> Text,
        key_hash -> Text,
        scopes -> Text,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        company_id -> Nullable<Text>,
        occurred_at -> Timestamp,
        actor_id -> Nullable<Text>,
        actor_name -> Nullable<Text>,
        entity_type -> Text,
        entity_id -> Text,
        action -> Text,
        before_data -> Nullable<Text>,
        after_data -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_records (principal, idem_key) {
        principal -> Text,
        idem_key -> Text,
        request_hash -> Text,
        status_code -> Nullable<Integer>,
        content_type -> Nullable<Text>,
        location -> Nullable<Text>,
        etag -> Nullable<Text>,
        response_body -> Nullable<Binary>,
        created_at -> Timestamp,
    }
}

// Inventory (erp-inventory). Quantities ×10^6, prices ×10^6, money ×10^4, factors ×10^9.

diesel::table! {
    uoms (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    uom_conversions (from_uom_id, to_uom_id) {
        from_uom_id -> Text,
        to_uom_id -> Text,
        factor_e9 -> BigInt,
    }
}

diesel::table! {
    item_categories (id) {
        id -> Text,
        company_id -> Text,
        parent_id -> Nullable<Text>,
        code -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    items (id) {
        id -> Text,
        company_id -> Text,
        sku -> Text,
        name -> Text,
        description -> Nullable<Text>,
        category_id -> Nullable<Text>,
        item_type -> Text,
        procurement -> Text,
        tracking -> Text,
        valuation -> Text,
        base_uom_id -> Text,
        barcode -> Nullable<Text>,
        standard_cost -> BigInt,
        default_supplier_id -> Nullable<Text>,
        supplier_price -> Nullable<BigInt>,
        lead_time_days -> Nullable<Integer>,
        reorder_point -> Nullable<BigInt>,
        reorder_max -> Nullable<BigInt>,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        by_lot -> Bool,
        sales_price -> Nullable<BigInt>,
    }
}

diesel::table! {
    item_uoms (item_id, uom_id) {
        item_id -> Text,
        uom_id -> Text,
        factor_e9 -> BigInt,
    }
}

diesel::table! {
    warehouses (id) {
        id -> Text,
        company_id -> Text,
        branch_id -> Text,
        code -> Text,
        name -> Text,
        allow_negative -> Bool,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    locations (id) {
        id -> Text,
        warehouse_id -> Text,
        parent_id -> Nullable<Text>,
        code -> Text,
        name -> Text,
        kind -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    stock_moves (id) {
        id -> Text,
        company_id -> Text,
        item_id -> Text,
        move_type -> Text,
        quantity -> BigInt,
        entered_quantity -> BigInt,
        entered_uom_id -> Text,
        from_location_id -> Nullable<Text>,
        to_location_id -> Nullable<Text>,
        lot -> Text,
        unit_cost -> BigInt,
        total_cost -> BigInt,
        reference_type -> Nullable<Text>,
        reference_id -> Nullable<Text>,
        reservation_id -> Nullable<Text>,
        reversal_of_id -> Nullable<Text>,
        note -> Nullable<Text>,
        posted_at -> Timestamp,
        user_id -> Text,
        effective_at -> Timestamp,
    }
}

diesel::table! {
    stock_value_entries (id) {
        id -> Text,
        move_id -> Text,
        item_id -> Text,
        warehouse_id -> Text,
        quantity -> BigInt,
        value -> BigInt,
        posted_at -> Timestamp,
        effective_at -> Timestamp,
        kind -> Text,
        caused_by_move_id -> Nullable<Text>,
    }
}

diesel::table! {
    stock_balances (item_id, location_id, lot) {
        item_id -> Text,
        location_id -> Text,
        lot -> Text,
        on_hand -> BigInt,
        reserved -> BigInt,
    }
}

diesel::table! {
    stock_valuations (item_id, warehouse_id) {
        item_id -> Text,
        warehouse_id -> Text,
        quantity -> BigInt,
        value -> BigInt,
    }
}

diesel::table! {
    cost_layers (id) {
        id -> Text,
        item_id -> Text,
        warehouse_id -> Text,
        move_id -> Text,
        quantity_remaining -> BigInt,
        value_remaining -> BigInt,
        created_at -> Timestamp,
        effective_at -> Timestamp,
        lot -> Text,
    }
}

diesel::table! {
    cost_layer_takes (id) {
        id -> Text,
        move_id -> Text,
        layer_id -> Text,
        quantity -> BigInt,
        value -> BigInt,
    }
}

diesel::table! {
    reservations (id) {
        id -> Text,
        company_id -> Text,
        item_id -> Text,
        location_id -> Text,
        lot -> Text,
        quantity -> BigInt,
        consumed -> BigInt,
        status -> Text,
        reference_type -> Nullable<Text>,
        reference_id -> Nullable<Text>,
        user_id -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    document_sequences (company_id, series) {
        company_id -> Text,
        series -> Text,
        next_value -> BigInt,
    }
}

diesel::table! {
    supplier_prices (id) {
        id -> Text,
        company_id -> Text,
        supplier_id -> Text,
        item_id -> Text,
        min_quantity -> BigInt,
        price -> BigInt,
        lead_time_days -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    purchase_orders (id) {
        id -> Text,
        company_id -> Text,
        number -> Text,
        supplier_id -> Text,
        warehouse_id -> Text,
        status -> Text,
        currency -> Text,
        order_date -> Date,
        expected_date -> Nullable<Date>,
        over_receipt_tolerance -> BigInt,
        notes -> Nullable<Text>,
        total -> BigInt,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    purchase_bill_lines (invoice_id, line_no) {
        invoice_id -> Text,
        order_id -> Text,
        line_no -> Integer,
        quantity -> BigInt,
        cleared -> BigInt,
    }
}

diesel::table! {
    purchase_order_lines (id) {
        id -> Text,
        order_id -> Text,
        line_no -> Integer,
        item_id -> Text,
        quantity -> BigInt,
        unit_price -> BigInt,
        line_total -> BigInt,
        received_quantity -> BigInt,
        expected_date -> Nullable<Date>,
        received_value -> BigInt,
    }
}

diesel::table! {
    work_centers (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        hours_per_day -> BigInt,
        units -> Integer,
        efficiency -> BigInt,
        utilization -> BigInt,
        working_days -> Text,
        cost_per_hour -> BigInt,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    work_center_days_off (work_center_id, day) {
        work_center_id -> Text,
        day -> Date,
    }
}

diesel::table! {
    item_planning (item_id) {
        item_id -> Text,
        company_id -> Text,
        safety_stock -> BigInt,
        lot_sizing -> Text,
        min_order -> Nullable<BigInt>,
        max_order -> Nullable<BigInt>,
        order_multiple -> Nullable<BigInt>,
        time_fence_days -> Integer,
        phantom -> Bool,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    boms (id) {
        id -> Text,
        company_id -> Text,
        item_id -> Text,
        revision -> Text,
        status -> Text,
        output_quantity -> BigInt,
        notes -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    bom_lines (id) {
        id -> Text,
        bom_id -> Text,
        line_no -> Integer,
        component_id -> Text,
        quantity -> BigInt,
        entered_quantity -> BigInt,
        entered_uom_id -> Text,
        scrap -> BigInt,
        effective_from -> Nullable<Date>,
        effective_to -> Nullable<Date>,
    }
}

diesel::table! {
    routing_operations (id) {
        id -> Text,
        company_id -> Text,
        item_id -> Text,
        seq -> Integer,
        name -> Text,
        work_center_id -> Text,
        setup_hours -> BigInt,
        run_hours -> BigInt,
        queue_hours -> BigInt,
        move_hours -> BigInt,
    }
}

diesel::table! {
    demands (id) {
        id -> Text,
        company_id -> Text,
        item_id -> Text,
        kind -> Text,
        due_date -> Date,
        quantity -> BigInt,
        source_type -> Nullable<Text>,
        source_id -> Nullable<Text>,
        note -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    mrp_runs (id) {
        id -> Text,
        company_id -> Text,
        status -> Text,
        mode -> Text,
        start_date -> Date,
        bucket -> Text,
        buckets -> Integer,
        progress -> Text,
        items_planned -> Integer,
        items_replanned -> Integer,
        planned_orders -> Integer,
        messages -> Integer,
        duration_ms -> Nullable<BigInt>,
        load_ms -> Nullable<BigInt>,
        plan_ms -> Nullable<BigInt>,
        save_ms -> Nullable<BigInt>,
        error -> Nullable<Text>,
        created_by -> Text,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        inputs_unchanged -> Bool,
    }
}

diesel::table! {
    mrp_input_changes (id) {
        id -> BigInt,
        company_id -> Text,
        run_id -> Nullable<Text>,
    }
}

diesel::table! {
    mrp_run_locks (company_id) {
        company_id -> Text,
        run_id -> Text,
    }
}

diesel::table! {
    mrp_item_plans (item_id) {
        item_id -> Text,
        company_id -> Text,
        run_id -> Text,
        low_level_code -> Integer,
        fingerprint -> Text,
        demand_hash -> Text,
        record -> Text,
        orders_from -> Nullable<Text>,
        first_release -> Nullable<Date>,
    }
}

diesel::table! {
    planned_orders (id) {
        id -> Text,
        company_id -> Text,
        item_id -> Text,
        kind -> Text,
        status -> Text,
        quantity -> BigInt,
        release_date -> Date,
        due_date -> Date,
        past_due -> Bool,
        ordinal -> Integer,
        run_id -> Nullable<Text>,
        pegs -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    mrp_messages (id) {
        id -> Text,
        company_id -> Text,
        run_id -> Text,
        item_id -> Nullable<Text>,
        kind -> Text,
        reference_type -> Nullable<Text>,
        reference_id -> Nullable<Text>,
        scheduled_date -> Nullable<Date>,
        suggested_date -> Nullable<Date>,
        quantity -> Nullable<BigInt>,
        suggested_quantity -> Nullable<BigInt>,
        message -> Text,
    }
}

diesel::table! {
    production_orders (id) {
        id -> Text,
        company_id -> Text,
        number -> Text,
        item_id -> Text,
        bom_id -> Nullable<Text>,
        location_id -> Text,
        warehouse_id -> Text,
        status -> Text,
        quantity -> BigInt,
        quantity_completed -> BigInt,
        start_date -> Date,
        due_date -> Date,
        backflush -> Bool,
        planned_order_id -> Nullable<Text>,
        planned_cost -> BigInt,
        notes -> Nullable<Text>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    production_order_components (id) {
        id -> Text,
        order_id -> Text,
        line_no -> Integer,
        item_id -> Text,
        quantity_required -> BigInt,
        quantity_issued -> BigInt,
        issued_cost -> BigInt,
        reservation_id -> Nullable<Text>,
    }
}

diesel::table! {
    production_order_operations (id) {
        id -> Text,
        order_id -> Text,
        seq -> Integer,
        name -> Text,
        work_center_id -> Text,
        planned_setup_hours -> BigInt,
        planned_run_hours -> BigInt,
        actual_setup_hours -> BigInt,
        actual_run_hours -> BigInt,
        quantity_done -> BigInt,
        quantity_scrapped -> BigInt,
        status -> Text,
    }
}

diesel::table! {
    crm_customers (partner_id) {
        partner_id -> Text,
        company_id -> Text,
        status -> Text,
        source -> Nullable<Text>,
        owner_id -> Nullable<Text>,
        segment -> Nullable<Text>,
        region -> Nullable<Text>,
        tags -> Text,
        attributes -> Text,
        last_contact_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        has_phone -> Bool,
        has_email -> Bool,
        has_contacts -> Bool,
    }
}

diesel::table! {
    crm_contacts (id) {
        id -> Text,
        customer_id -> Text,
        name -> Text,
        job_title -> Nullable<Text>,
        phone -> Nullable<Text>,
        phone_normalized -> Nullable<Text>,
        email -> Nullable<Text>,
        email_normalized -> Nullable<Text>,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        version -> BigInt,
        updated_at -> Nullable<Timestamp>,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    crm_call_outcomes (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        label -> Text,
        active -> Bool,
    }
}

diesel::table! {
    crm_interactions (id) {
        id -> Text,
        company_id -> Text,
        customer_id -> Text,
        kind -> Text,
        occurred_at -> Timestamp,
        user_id -> Text,
        contact_id -> Nullable<Text>,
        direction -> Nullable<Text>,
        duration_seconds -> Nullable<Integer>,
        outcome -> Nullable<Text>,
        topic -> Nullable<Text>,
        result -> Nullable<Text>,
        body -> Nullable<Text>,
        deal_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    crm_interaction_days (company_id, user_id, day, kind) {
        company_id -> Text,
        user_id -> Text,
        day -> Date,
        kind -> Text,
        total -> BigInt,
        without_result -> BigInt,
    }
}

diesel::table! {
    crm_stages (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        position -> Integer,
        probability -> BigInt,
        kind -> Text,
    }
}

diesel::table! {
    crm_deals (id) {
        id -> Text,
        company_id -> Text,
        customer_id -> Text,
        title -> Text,
        value -> BigInt,
        currency -> Text,
        expected_close -> Nullable<Date>,
        owner_id -> Text,
        stage_id -> Text,
        status -> Text,
        lost_reason -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        reached_stages -> Text,
    }
}

diesel::table! {
    crm_deal_changes (id) {
        id -> Text,
        deal_id -> Text,
        field -> Text,
        old_value -> Nullable<Text>,
        new_value -> Nullable<Text>,
        changed_at -> Timestamp,
        user_id -> Text,
    }
}

diesel::table! {
    crm_deal_stages (id) {
        id -> Text,
        deal_id -> Text,
        from_stage_id -> Nullable<Text>,
        to_stage_id -> Text,
        changed_at -> Timestamp,
        user_id -> Text,
    }
}

diesel::table! {
    crm_tasks (id) {
        id -> Text,
        company_id -> Text,
        customer_id -> Nullable<Text>,
        deal_id -> Nullable<Text>,
        assignee_id -> Text,
        title -> Text,
        notes -> Nullable<Text>,
        due_at -> Timestamp,
        rule_id -> Nullable<Text>,
        reminded_at -> Nullable<Timestamp>,
        priority -> Text,
        status -> Text,
        done_at -> Nullable<Timestamp>,
        created_by -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    crm_rules (id) {
        id -> Text,
        company_id -> Text,
        trigger_kind -> Text,
        stage_id -> Nullable<Text>,
        days -> Integer,
        task_title -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    crm_assignment (company_id) {
        company_id -> Text,
        strategy -> Text,
        members -> Text,
        next_index -> Integer,
        updated_at -> Timestamp,
        team_id -> Nullable<Text>,
    }
}

diesel::table! {
    crm_webhooks (id) {
        id -> Text,
        company_id -> Text,
        url -> Text,
        secret -> Text,
        event_types -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    crm_outbox (id) {
        id -> Text,
        company_id -> Text,
        event_type -> Text,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    crm_deliveries (id) {
        id -> Text,
        event_id -> Text,
        webhook_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    crm_sales_orders (id) {
        id -> Text,
        company_id -> Text,
        number -> Text,
        customer_id -> Text,
        deal_id -> Nullable<Text>,
        location_id -> Text,
        status -> Text,
        currency -> Text,
        total -> BigInt,
        notes -> Nullable<Text>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        invoice_policy -> Text,
    }
}

diesel::table! {
    crm_order_invoice_lines (invoice_id, line_no) {
        invoice_id -> Text,
        order_id -> Text,
        line_no -> Integer,
        quantity -> BigInt,
    }
}

diesel::table! {
    crm_sales_order_lines (id) {
        id -> Text,
        order_id -> Text,
        line_no -> Integer,
        item_id -> Text,
        quantity -> BigInt,
        unit_price -> BigInt,
        discount_percent -> BigInt,
        line_total -> BigInt,
        delivered_quantity -> BigInt,
        reservation_id -> Nullable<Text>,
    }
}

diesel::table! {
    crm_targets (id) {
        id -> Text,
        company_id -> Text,
        user_id -> Text,
        metric -> Text,
        period_start -> Date,
        period_end -> Date,
        target -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    crm_tickets (id) {
        id -> Text,
        company_id -> Text,
        customer_id -> Text,
        order_id -> Nullable<Text>,
        kind -> Text,
        subject -> Text,
        description -> Nullable<Text>,
        cause -> Nullable<Text>,
        priority -> Text,
        status -> Text,
        owner_id -> Text,
        sla_due_at -> Timestamp,
        resolution -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    crm_segments (id) {
        id -> Text,
        company_id -> Text,
        name -> Text,
        filters -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    crm_campaigns (id) {
        id -> Text,
        company_id -> Text,
        segment_id -> Text,
        name -> Text,
        channel -> Text,
        members -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    crm_campaign_responses (id) {
        id -> Text,
        campaign_id -> Text,
        customer_id -> Text,
        response -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(purchase_order_lines -> purchase_orders (order_id));

diesel::table! {
    transfer_orders (id) {
        id -> Text,
        company_id -> Text,
        number -> Text,
        from_warehouse_id -> Text,
        to_warehouse_id -> Text,
        status -> Text,
        notes -> Nullable<Text>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    transfer_order_lines (id) {
        id -> Text,
        transfer_id -> Text,
        line_no -> Integer,
        item_id -> Text,
        from_location_id -> Text,
        lot -> Text,
        quantity -> BigInt,
        received_quantity -> BigInt,
        written_off_quantity -> BigInt,
    }
}

diesel::table! {
    count_sessions (id) {
        id -> Text,
        company_id -> Text,
        number -> Text,
        warehouse_id -> Text,
        kind -> Text,
        abc_class -> Nullable<Text>,
        status -> Text,
        notes -> Nullable<Text>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        as_of -> Nullable<Timestamp>,
    }
}

diesel::table! {
    count_lines (id) {
        id -> Text,
        session_id -> Text,
        item_id -> Text,
        location_id -> Text,
        lot -> Text,
        expected_quantity -> BigInt,
        counted_quantity -> Nullable<BigInt>,
        adjustment_move_id -> Nullable<Text>,
    }
}

diesel::joinable!(transfer_order_lines -> transfer_orders (transfer_id));
diesel::joinable!(count_lines -> count_sessions (session_id));

diesel::joinable!(items -> uoms (base_uom_id));
diesel::joinable!(item_uoms -> items (item_id));
diesel::joinable!(locations -> warehouses (warehouse_id));
diesel::joinable!(stock_balances -> locations (location_id));
diesel::joinable!(stock_balances -> items (item_id));
diesel::joinable!(stock_value_entries -> stock_moves (move_id));
diesel::joinable!(cost_layer_takes -> cost_layers (layer_id));
diesel::joinable!(warehouses -> branches (branch_id));

diesel::joinable!(branches -> companies (company_id));
diesel::joinable!(partners -> companies (company_id));
diesel::joinable!(partner_addresses -> partners (partner_id));
diesel::joinable!(partner_contacts -> partners (partner_id));
diesel::joinable!(users -> companies (company_id));
diesel::joinable!(roles -> companies (company_id));
diesel::joinable!(role_permissions -> roles (role_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(user_roles -> roles (role_id));
diesel::joinable!(user_branches -> users (user_id));
diesel::joinable!(user_branches -> branches (branch_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(api_keys -> users (user_id));

diesel::table! {
    crm_quotes (id) {
        id -> Text,
        company_id -> Text,
        number -> Text,
        deal_id -> Text,
        customer_id -> Text,
        status -> Text,
        currency -> Text,
        valid_until -> Nullable<Date>,
        total -> BigInt,
        notes -> Nullable<Text>,
        order_id -> Nullable<Text>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    crm_quote_lines (id) {
        id -> Text,
        quote_id -> Text,
        line_no -> Integer,
        item_id -> Text,
        quantity -> BigInt,
        unit_price -> BigInt,
        discount_percent -> BigInt,
        line_total -> BigInt,
    }
}

diesel::table! {
    crm_teams (id) {
        id -> Text,
        company_id -> Text,
        name -> Text,
        lead_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    crm_team_members (team_id, user_id) {
        team_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    crm_documents (id) {
        id -> Text,
        company_id -> Text,
        entity_type -> Text,
        entity_id -> Text,
        customer_id -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        content -> Binary,
        uploaded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    crm_portal_accounts (id) {
        id -> Text,
        company_id -> Text,
        customer_id -> Text,
        login -> Text,
        name -> Text,
        password_hash -> Text,
        active -> Bool,
        last_login_at -> Nullable<Timestamp>,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    crm_message_templates (id) {
        id -> Text,
        company_id -> Text,
        event -> Text,
        channel -> Text,
        subject -> Nullable<Text>,
        body -> Text,
        active -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    crm_notifications (id) {
        id -> Text,
        company_id -> Text,
        customer_id -> Text,
        order_id -> Nullable<Text>,
        event -> Text,
        channel -> Text,
        recipient -> Nullable<Text>,
        subject -> Nullable<Text>,
        body -> Text,
        outbox_id -> Nullable<Text>,
        skipped_reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    system_settings,
    cost_layer_takes,
    companies,
    branches,
    partners,
    partner_addresses,
    partner_contacts,
    users,
    roles,
    role_permissions,
    user_roles,
    user_branches,
    refresh_tokens,
    api_keys,
    audit_events,
    idempotency_records,
    uoms,
    uom_conversions,
    item_categories,
    items,
    item_uoms,
    warehouses,
    locations,
    stock_moves,
    stock_value_entries,
    stock_balances,
    stock_valuations,
    cost_layers,
    reservations,
    document_sequences,
    supplier_prices,
    purchase_orders,
    purchase_order_lines,
    transfer_orders,
    transfer_order_lines,
    count_sessions,
    count_lines,
    work_centers,
    work_center_days_off,
    item_planning,
    boms,
    bom_lines,
    routing_operations,
    demands,
    mrp_runs,
    mrp_run_locks,
    mrp_input_changes,
    mrp_item_plans,
    planned_orders,
    mrp_messages,
    crm_customers,
    crm_contacts,
    crm_call_outcomes,
    crm_interactions,
    crm_interaction_days,
    crm_stages,
    crm_deals,
    crm_deal_stages,
    crm_deal_changes,
    crm_tasks,
    crm_rules,
    crm_assignment,
    crm_webhooks,
    crm_outbox,
    crm_deliveries,
    crm_sales_orders,
    crm_sales_order_lines,
    crm_targets,
    crm_tickets,
    crm_segments,
    crm_campaigns,
    crm_campaign_responses,
    crm_quotes,
    crm_quote_lines,
    crm_teams,
    crm_team_members,
    crm_documents,
    crm_portal_accounts,
    crm_message_templates,
    crm_notifications,
    production_orders,
    production_order_components,
    production_order_operations,
);

diesel::table! {
    fin_accounts (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        account_type -> Text,
        parent_id -> Nullable<Text>,
        reconcilable -> Bool,
        currency -> Nullable<Text>,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    fin_periods (id) {
        id -> Text,
        company_id -> Text,
        fiscal_year -> Integer,
        number -> Integer,
        starts_on -> Date,
        ends_on -> Date,
        status -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    fin_journals (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        kind -> Text,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    fin_entries (id) {
        id -> Text,
        company_id -> Text,
        journal_id -> Text,
        number -> Nullable<Text>,
        entry_date -> Date,
        period_id -> Nullable<Text>,
        status -> Text,
        description -> Nullable<Text>,
        reference_type -> Nullable<Text>,
        reference_id -> Nullable<Text>,
        reverses_id -> Nullable<Text>,
        reversed_by_id -> Nullable<Text>,
        total -> BigInt,
        version -> BigInt,
        created_by -> Text,
        posted_by -> Nullable<Text>,
        posted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    fin_entry_lines (id) {
        id -> Text,
        entry_id -> Text,
        line_no -> Integer,
        account_id -> Text,
        debit -> BigInt,
        credit -> BigInt,
        branch_id -> Nullable<Text>,
        cost_center -> Nullable<Text>,
        project -> Nullable<Text>,
        partner_id -> Nullable<Text>,
        description -> Nullable<Text>,
        currency -> Nullable<Text>,
        amount_currency -> Nullable<BigInt>,
    }
}

diesel::table! {
    fin_balances (account_id, period_id, branch_id) {
        account_id -> Text,
        period_id -> Text,
        branch_id -> Text,
        debit -> BigInt,
        credit -> BigInt,
        amount_currency -> BigInt,
    }
}

diesel::joinable!(fin_entry_lines -> fin_entries (entry_id));
diesel::joinable!(fin_entry_lines -> fin_accounts (account_id));
diesel::joinable!(fin_balances -> fin_accounts (account_id));
diesel::joinable!(fin_balances -> fin_periods (period_id));
diesel::allow_tables_to_appear_in_same_query!(
    fin_accounts,
    fin_periods,
    fin_journals,
    fin_entries,
    fin_entry_lines,
    fin_balances,
);

diesel::table! {
    fin_account_rules (company_id, event, scope_type, scope_id) {
        company_id -> Text,
        event -> Text,
        scope_type -> Text,
        scope_id -> Text,
        account_id -> Text,
        updated_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(fin_account_rules, fin_accounts);

diesel::table! {
    fin_budgets (id) {
        id -> Text,
        company_id -> Text,
        name -> Text,
        fiscal_year -> Integer,
        status -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        derived_from_id -> Nullable<Text>,
        superseded_by_id -> Nullable<Text>,
    }
}

diesel::table! {
    fin_budget_lines (budget_id, account_id, period_id, branch_id) {
        budget_id -> Text,
        account_id -> Text,
        period_id -> Text,
        branch_id -> Text,
        amount -> BigInt,
    }
}

diesel::joinable!(fin_budget_lines -> fin_budgets (budget_id));
diesel::allow_tables_to_appear_in_same_query!(fin_budget_lines, fin_budgets);

diesel::table! {
    fin_settings (company_id) {
        company_id -> Text,
        tax_rounding -> Text,
        write_off_tolerance -> BigInt,
        version -> BigInt,
        updated_at -> Timestamp,
        match_price_tolerance -> BigInt,
        match_quantity_tolerance -> BigInt,
        budget_control -> Text,
    }
}

diesel::table! {
    fin_taxes (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        kind -> Text,
        rate -> BigInt,
        price_included -> Bool,
        sales_account_id -> Text,
        purchase_account_id -> Text,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    fin_payment_terms (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        net_days -> Integer,
        discount_days -> Integer,
        discount_rate -> BigInt,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        instalments -> Nullable<Text>,
    }
}

diesel::table! {
    fin_revaluations (id) {
        id -> Text,
        company_id -> Text,
        revaluation_date -> Date,
        reverse_on -> Date,
        entry_id -> Text,
        reversal_entry_id -> Text,
        gain -> BigInt,
        loss -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    fin_revaluation_lines (revaluation_id, line_no) {
        revaluation_id -> Text,
        line_no -> Integer,
        invoice_id -> Nullable<Text>,
        payment_id -> Nullable<Text>,
        partner_id -> Text,
        currency -> Text,
        open_in_currency -> BigInt,
        exchange_rate -> BigInt,
        booked -> BigInt,
        revalued -> BigInt,
    }
}

diesel::table! {
    fin_invoices (id) {
        id -> Text,
        company_id -> Text,
        kind -> Text,
        number -> Nullable<Text>,
        partner_id -> Text,
        branch_id -> Nullable<Text>,
        invoice_date -> Date,
        due_date -> Date,
        payment_terms_id -> Nullable<Text>,
        discount_until -> Nullable<Date>,
        discount_rate -> BigInt,
        status -> Text,
        reference -> Nullable<Text>,
        notes -> Nullable<Text>,
        corrects_id -> Nullable<Text>,
        tax_rounding -> Text,
        net -> BigInt,
        tax -> BigInt,
        total -> BigInt,
        open_amount -> BigInt,
        entry_id -> Nullable<Text>,
        cancel_entry_id -> Nullable<Text>,
        cancelled_on -> Nullable<Date>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        hold_reason -> Nullable<Text>,
        released_by -> Nullable<Text>,
        released_at -> Nullable<Timestamp>,
        currency -> Text,
        exchange_rate -> BigInt,
        total_company -> BigInt,
        open_company -> BigInt,
        instalments -> Nullable<Text>,
    }
}

diesel::table! {
    fin_invoice_lines (invoice_id, line_no) {
        invoice_id -> Text,
        line_no -> Integer,
        description -> Text,
        account_id -> Text,
        quantity -> BigInt,
        unit_price -> BigInt,
        tax_id -> Nullable<Text>,
        net -> BigInt,
        tax -> BigInt,
        cost_center -> Nullable<Text>,
        project -> Nullable<Text>,
        discount_percent -> BigInt,
        clears -> Nullable<BigInt>,
        tax_group_id -> Nullable<Text>,
    }
}

diesel::table! {
    fin_invoice_line_taxes (invoice_id, line_no, seq) {
        invoice_id -> Text,
        line_no -> Integer,
        seq -> Integer,
        tax_id -> Text,
        base -> BigInt,
        tax -> BigInt,
    }
}

diesel::table! {
    fin_tax_groups (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    fin_tax_group_members (group_id, seq) {
        group_id -> Text,
        seq -> Integer,
        tax_id -> Text,
        compound -> Bool,
    }
}

diesel::table! {
    fin_payments (id) {
        id -> Text,
        company_id -> Text,
        kind -> Text,
        number -> Nullable<Text>,
        partner_id -> Text,
        branch_id -> Nullable<Text>,
        payment_date -> Date,
        account_id -> Text,
        amount -> BigInt,
        unallocated -> BigInt,
        reference -> Nullable<Text>,
        status -> Text,
        entry_id -> Nullable<Text>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        reconciled -> BigInt,
        cancelled_on -> Nullable<Date>,
        cancel_entry_id -> Nullable<Text>,
        currency -> Text,
        exchange_rate -> BigInt,
        amount_company -> BigInt,
        unallocated_company -> BigInt,
    }
}

diesel::table! {
    fin_allocations (id) {
        id -> Text,
        company_id -> Text,
        invoice_id -> Text,
        payment_id -> Nullable<Text>,
        credit_note_id -> Nullable<Text>,
        allocated_on -> Date,
        amount -> BigInt,
        discount -> BigInt,
        write_off -> BigInt,
        entry_id -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        undone_on -> Nullable<Date>,
        settled_company -> BigInt,
        amount_company -> BigInt,
        exchange_difference -> BigInt,
    }
}

diesel::joinable!(fin_invoice_lines -> fin_invoices (invoice_id));
diesel::joinable!(fin_invoice_line_taxes -> fin_invoices (invoice_id));
diesel::joinable!(fin_invoice_line_taxes -> fin_taxes (tax_id));
diesel::joinable!(fin_tax_group_members -> fin_taxes (tax_id));
diesel::allow_tables_to_appear_in_same_query!(
    fin_invoice_line_taxes,
    fin_tax_group_members,
    fin_tax_groups,
    fin_invoice_lines,
    fin_invoices,
    fin_taxes,
    fin_accounts,
    partners,
    fin_payments,
    fin_allocations
);

diesel::table! {
    fin_bank_statements (id) {
        id -> Text,
        company_id -> Text,
        account_id -> Text,
        reference -> Text,
        statement_date -> Date,
        opening_balance -> Nullable<BigInt>,
        closing_balance -> Nullable<BigInt>,
        source -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    fin_bank_lines (id) {
        id -> Text,
        company_id -> Text,
        statement_id -> Text,
        account_id -> Text,
        line_no -> Integer,
        booking_date -> Date,
        value_date -> Nullable<Date>,
        amount -> BigInt,
        counterparty_name -> Nullable<Text>,
        counterparty_account -> Nullable<Text>,
        remittance -> Nullable<Text>,
        bank_reference -> Nullable<Text>,
        matched -> BigInt,
    }
}

diesel::table! {
    fin_reconciliations (id) {
        id -> Text,
        company_id -> Text,
        bank_line_id -> Text,
        payment_id -> Nullable<Text>,
        entry_id -> Nullable<Text>,
        amount -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    fin_exchange_rates (company_id, currency, rate_date) {
        company_id -> Text,
        currency -> Text,
        rate_date -> Date,
        rate -> BigInt,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    hr_departments (id) {
        id -> Text,
        company_id -> Text,
        branch_id -> Text,
        parent_id -> Nullable<Text>,
        code -> Text,
        name -> Text,
        cost_center -> Nullable<Text>,
        manager_id -> Nullable<Text>,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    hr_positions (id) {
        id -> Text,
        company_id -> Text,
        department_id -> Text,
        code -> Text,
        title -> Text,
        grade -> Nullable<Text>,
        headcount -> Integer,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    hr_employees (id) {
        id -> Text,
        company_id -> Text,
        number -> Text,
        partner_id -> Text,
        user_id -> Nullable<Text>,
        branch_id -> Text,
        department_id -> Text,
        position_id -> Nullable<Text>,
        manager_id -> Nullable<Text>,
        hired_on -> Date,
        terminated_on -> Nullable<Date>,
        termination_reason -> Nullable<Text>,
        termination_note -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        bank_account -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        calendar_id -> Nullable<Text>,
    }
}

diesel::table! {
    hr_assignments (id) {
        id -> Text,
        company_id -> Text,
        employee_id -> Text,
        effective_on -> Date,
        branch_id -> Text,
        department_id -> Text,
        position_id -> Nullable<Text>,
        manager_id -> Nullable<Text>,
        reason -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        pending -> Bool,
    }
}

diesel::table! {
    hr_contracts (id) {
        id -> Text,
        company_id -> Text,
        employee_id -> Text,
        kind -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        probation_ends_on -> Nullable<Date>,
        hours_per_week -> BigInt,
        pay_basis -> Text,
        pay_rate -> BigInt,
        currency -> Text,
        amends_id -> Nullable<Text>,
        note -> Nullable<Text>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        pay_structure_id -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    hr_departments,
    hr_positions,
    hr_employees,
    hr_assignments,
    hr_contracts,
);

diesel::allow_tables_to_appear_in_same_query!(hr_employees, partners);
diesel::allow_tables_to_appear_in_same_query!(hr_departments, branches);

diesel::table! {
    hr_calendars (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        mon -> BigInt,
        tue -> BigInt,
        wed -> BigInt,
        thu -> BigInt,
        fri -> BigInt,
        sat -> BigInt,
        sun -> BigInt,
        is_default -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        shifts -> Text,
    }
}

diesel::table! {
    hr_holidays (id) {
        id -> Text,
        company_id -> Text,
        branch_id -> Text,
        day -> Date,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    hr_leave_types (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        paid -> Bool,
        days_per_year -> BigInt,
        carry_over_cap -> BigInt,
        carry_over_expires_month -> Nullable<Integer>,
        allow_negative -> Bool,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    hr_leave_requests (id) {
        id -> Text,
        company_id -> Text,
        employee_id -> Text,
        leave_type_id -> Text,
        starts_on -> Date,
        ends_on -> Date,
        half_day_start -> Bool,
        half_day_end -> Bool,
        days -> BigInt,
        status -> Text,
        reason -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_note -> Nullable<Text>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    hr_leave_adjustments (id) {
        id -> Text,
        company_id -> Text,
        employee_id -> Text,
        leave_type_id -> Text,
        effective_on -> Date,
        days -> BigInt,
        reason -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    hr_calendars,
    hr_holidays,
    hr_leave_types,
    hr_leave_requests,
    hr_leave_adjustments,
    hr_employees,
);
diesel::allow_tables_to_appear_in_same_query!(hr_leave_requests, partners);
diesel::allow_tables_to_appear_in_same_query!(hr_leave_types, partners);

diesel::table! {
    hr_attendance (id) {
        id -> Text,
        company_id -> Text,
        employee_id -> Text,
        check_in -> Timestamp,
        check_out -> Nullable<Timestamp>,
        source -> Text,
        note -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    hr_overtime_rules (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        per -> Text,
        threshold -> BigInt,
        rate -> BigInt,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(hr_attendance, hr_employees);
diesel::allow_tables_to_appear_in_same_query!(hr_attendance, partners);

diesel::table! {
    hr_pay_components (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        kind -> Text,
        method -> Text,
        amount -> Nullable<BigInt>,
        rate -> Nullable<BigInt>,
        cap -> Nullable<BigInt>,
        basis -> Nullable<Text>,
        brackets -> Nullable<Text>,
        expense_account_id -> Nullable<Text>,
        liability_account_id -> Nullable<Text>,
        sequence -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        round_to -> Nullable<BigInt>,
        rounding -> Text,
    }
}

diesel::table! {
    hr_pay_structures (id) {
        id -> Text,
        company_id -> Text,
        code -> Text,
        name -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    hr_pay_structure_components (structure_id, component_id) {
        structure_id -> Text,
        component_id -> Text,
    }
}

diesel::table! {
    hr_pay_runs (id) {
        id -> Text,
        company_id -> Text,
        branch_id -> Text,
        year -> Integer,
        month -> Integer,
        status -> Text,
        currency -> Text,
        gross -> BigInt,
        deductions -> BigInt,
        employer -> BigInt,
        net -> BigInt,
        payable_account_id -> Text,
        entry_id -> Nullable<Text>,
        approved_by -> Nullable<Text>,
        approved_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        paid_on -> Nullable<Date>,
    }
}

diesel::table! {
    hr_payslips (id) {
        id -> Text,
        company_id -> Text,
        run_id -> Text,
        employee_id -> Text,
        department_id -> Text,
        days_employed -> Integer,
        gross -> BigInt,
        deductions -> BigInt,
        employer -> BigInt,
        net -> BigInt,
        payment_id -> Nullable<Text>,
    }
}

diesel::table! {
    hr_payslip_lines (payslip_id, line_no) {
        payslip_id -> Text,
        line_no -> Integer,
        component_id -> Text,
        kind -> Text,
        quantity -> Nullable<BigInt>,
        rate -> Nullable<BigInt>,
        base -> Nullable<BigInt>,
        amount -> BigInt,
        note -> Text,
        corrects -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    hr_pay_components,
    hr_pay_runs,
    hr_payslips,
    hr_payslip_lines,
);
diesel::allow_tables_to_appear_in_same_query!(hr_payslips, hr_employees);
diesel::allow_tables_to_appear_in_same_query!(hr_payslips, partners);
diesel::allow_tables_to_appear_in_same_query!(hr_pay_runs, hr_employees);
diesel::allow_tables_to_appear_in_same_query!(hr_pay_runs, partners);

diesel::table! {
    work_center_staff (work_center_id, employee_id) {
        work_center_id -> Text,
        employee_id -> Text,
    }
}

diesel::table! {
    hr_timesheets (id) {
        id -> Text,
        company_id -> Text,
        employee_id -> Text,
        work_date -> Date,
        hours -> BigInt,
        target -> Text,
        project -> Nullable<Text>,
        partner_id -> Nullable<Text>,
        reference_id -> Nullable<Text>,
        operation_seq -> Nullable<Integer>,
        note -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(hr_timesheets, hr_employees);
diesel::allow_tables_to_appear_in_same_query!(hr_timesheets, partners);
