//! The states of the rows the stock ledger keeps beside its moves: a reservation is written
//! here and read by `reservation`, so its state sits here too (`reservation::dto` re-exports it).

erp_core::text_enum! {
    pub enum ReservationStatus {
        Open = "open",
        Released = "released",
        Consumed = "consumed",
    }
}
