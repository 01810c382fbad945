erp_core::text_enum! {
    pub enum ReservationStatus {
        Open = "open",
        Released = "released",
        Consumed = "consumed",
    }
}
