//! The `transfer` port: ICS-20's channel handshake rules (unordered channels, version `ics20-1`,
//! bound to port `transfer`), as ibc-go's transfer module answers them, so that Hermes and any
//! Cosmos chain open transfer channels with Salus. Packets on these channels are not routed yet
//! (the token movements of ICS-20 come next): a relayer's MsgRecvPacket is refused at decode, so
//! a counterparty's packet times out there and is refunded by its own chain.

use ibc::core::channel::types::acknowledgement::Acknowledgement;
use ibc::core::channel::types::channel::{Counterparty, Order};
use ibc::core::channel::types::error::ChannelError;
use ibc::core::channel::types::packet::Packet;
use ibc::core::channel::types::Version;
use ibc::core::host::types::identifiers::{ChannelId, ConnectionId, PortId};
use ibc::core::primitives::Signer;
use ibc::core::router::module::Module;
use ibc::core::router::types::module::ModuleExtras;

/// ICS-20's port and channel version.
pub const PORT: &str = "transfer";
pub const VERSION: &str = "ics20-1";

#[derive(Debug, Default)]
pub struct TransferPort;

fn refuse(description: impl Into<String>) -> ChannelError {
    ChannelError::AppSpecific { description: description.into() }
}

fn check_order(order: Order) -> Result<(), ChannelError> {
    if order == Order::Unordered {
        Ok(())
    } else {
        Err(refuse(format!("ICS-20 channels are unordered, not {order}: open it with --order unordered")))
    }
}

fn check_version(version: &Version, whose: &str) -> Result<(), ChannelError> {
    if version.as_str() == VERSION {
        Ok(())
    } else {
        Err(refuse(format!("{whose} version `{version}` is not `{VERSION}`")))
    }
}

fn check_port(port_id: &PortId) -> Result<(), ChannelError> {
    if port_id.as_str() == PORT {
        Ok(())
    } else {
        Err(refuse(format!("port `{port_id}` is not `{PORT}`")))
    }
}

/// The version every transfer channel settles on.
fn ics20() -> Version {
    Version::new(VERSION.to_string())
}

/// What both ends' handshakes require of the channel itself.
fn check_channel(order: Order, port_id: &PortId) -> Result<(), ChannelError> {
    check_order(order)?;
    check_port(port_id)
}

const NO_CLOSE: &str = "ICS-20 channels cannot be closed";
const NO_PACKETS: &str = "packets on transfer channels are not handled on this chain yet";

impl Module for TransferPort {
    /// An empty proposal takes `ics20-1`, as ibc-go does.
    fn on_chan_open_init_validate(
        &self,
        order: Order,
        _connection_hops: &[ConnectionId],
        port_id: &PortId,
        _channel_id: &ChannelId,
        _counterparty: &Counterparty,
        version: &Version,
    ) -> Result<Version, ChannelError> {
        check_channel(order, port_id)?;
        if !version.is_empty() {
            check_version(version, "the proposed")?;
        }
        Ok(ics20())
    }

    fn on_chan_open_init_execute(
        &mut self,
        _order: Order,
        _connection_hops: &[ConnectionId],
        _port_id: &PortId,
        _channel_id: &ChannelId,
        _counterparty: &Counterparty,
        _version: &Version,
    ) -> Result<(ModuleExtras, Version), ChannelError> {
        Ok((ModuleExtras::empty(), ics20()))
    }

    fn on_chan_open_try_validate(
        &self,
        order: Order,
        _connection_hops: &[ConnectionId],
        port_id: &PortId,
        _channel_id: &ChannelId,
        _counterparty: &Counterparty,
        counterparty_version: &Version,
    ) -> Result<Version, ChannelError> {
        check_channel(order, port_id)?;
        check_version(counterparty_version, "the counterparty's")?;
        Ok(ics20())
    }

    fn on_chan_open_try_execute(
        &mut self,
        _order: Order,
        _connection_hops: &[ConnectionId],
        _port_id: &PortId,
        _channel_id: &ChannelId,
        _counterparty: &Counterparty,
        _counterparty_version: &Version,
    ) -> Result<(ModuleExtras, Version), ChannelError> {
        Ok((ModuleExtras::empty(), ics20()))
    }

    fn on_chan_open_ack_validate(
        &self,
        _port_id: &PortId,
        _channel_id: &ChannelId,
        counterparty_version: &Version,
    ) -> Result<(), ChannelError> {
        check_version(counterparty_version, "the counterparty's")
    }

    /// ICS-20 channels cannot be closed by a user (escrowed coins would be stranded); a
    /// counterparty's close is still confirmed.
    fn on_chan_close_init_validate(&self, _port_id: &PortId, _channel_id: &ChannelId) -> Result<(), ChannelError> {
        Err(refuse(NO_CLOSE))
    }

    fn on_chan_close_init_execute(
        &mut self,
        _port_id: &PortId,
        _channel_id: &ChannelId,
    ) -> Result<ModuleExtras, ChannelError> {
        Err(refuse(NO_CLOSE))
    }

    fn on_recv_packet_execute(
        &mut self,
        _packet: &Packet,
        _relayer: &Signer,
    ) -> (ModuleExtras, Option<Acknowledgement>) {
        // Not reached (packet messages are not routed); an error acknowledgement refunds the
        // sender on its own chain if it ever were.
        let ack = format!(r#"{{"error":"{NO_PACKETS}"}}"#).into_bytes();
        (ModuleExtras::empty(), Acknowledgement::try_from(ack).ok())
    }

    fn on_acknowledgement_packet_validate(
        &self,
        _packet: &Packet,
        _acknowledgement: &Acknowledgement,
        _relayer: &Signer,
    ) -> Result<(), ChannelError> {
        Err(refuse(NO_PACKETS))
    }

    fn on_acknowledgement_packet_execute(
        &mut self,
        _packet: &Packet,
        _acknowledgement: &Acknowledgement,
        _relayer: &Signer,
    ) -> (ModuleExtras, Result<(), ChannelError>) {
        (ModuleExtras::empty(), Err(refuse(NO_PACKETS)))
    }

    fn on_timeout_packet_validate(&self, _packet: &Packet, _relayer: &Signer) -> Result<(), ChannelError> {
        Err(refuse(NO_PACKETS))
    }

    fn on_timeout_packet_execute(
        &mut self,
        _packet: &Packet,
        _relayer: &Signer,
    ) -> (ModuleExtras, Result<(), ChannelError>) {
        (ModuleExtras::empty(), Err(refuse(NO_PACKETS)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn init(order: Order, port: &str, version: &str) -> Result<Version, ChannelError> {
        TransferPort.on_chan_open_init_validate(
            order,
            &[],
            &port.parse().unwrap(),
            &ChannelId::new(0),
            &Counterparty::new(PORT.parse().unwrap(), None),
            &Version::new(version.to_string()),
        )
    }

    #[test]
    fn only_unordered_ics20_channels_on_the_transfer_port_open() {
        assert_eq!(init(Order::Unordered, PORT, "").unwrap().as_str(), VERSION, "an empty proposal takes ics20-1");
        assert_eq!(init(Order::Unordered, PORT, VERSION).unwrap().as_str(), VERSION);
        assert!(init(Order::Ordered, PORT, VERSION).unwrap_err().to_string().contains("unordered"));
        assert!(init(Order::Unordered, PORT, "ics20-2").unwrap_err().to_string().contains("ics20-1"));
        assert!(init(Order::Unordered, "other", VERSION).is_err());
        let closing = TransferPort.on_chan_close_init_validate(&PORT.parse().unwrap(), &ChannelId::new(0));
        assert!(closing.is_err(), "a user cannot close a transfer channel");
    }
}
