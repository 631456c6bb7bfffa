// The bell in the header: how many notifications the user has not read (asked every POLL_MS and whenever
// the page changes), and a drawer listing them; opening one marks it read and goes to its appeal.
import { BellOutlined } from "@ant-design/icons";
import { Badge, Button, Drawer, List, Tag } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router-dom";

import { api, type Notification } from "../api";
import { formatLocal } from "../time";
import { useNames } from "../vocabulary";

const POLL_MS = 60_000;
/** A notification is one button: its text over its time, wrapped, left-aligned. */
const ITEM_STYLE = { height: "auto", whiteSpace: "normal", textAlign: "left", padding: 8, flexDirection: "column", alignItems: "flex-start" } as const;

function useUnreadCount(): [number, () => void] {
  const [unread, setUnread] = useState(0);
  const refresh = useCallback(() => {
    api.unreadCount().then((answer) => setUnread(answer.unread), () => undefined); // a missed poll waits for the next
  }, []);
  const { pathname } = useLocation();
  useEffect(refresh, [refresh, pathname]);
  useEffect(() => {
    const timer = window.setInterval(refresh, POLL_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);
  return [unread, refresh];
}

function NotificationItem({ item, onOpen }: { item: Notification; onOpen: (item: Notification) => void }) {
  const { t } = useTranslation();
  const name = useNames();
  return (
    <List.Item>
      <Button type="text" block onClick={() => onOpen(item)} style={ITEM_STYLE}>
        <span style={{ display: "block", fontWeight: item.read ? 400 : 600 }}>
          {!item.read && <Tag color="blue">{t("notifications.unread")}</Tag>}
          <Tag>{name("notification_kinds", item.kind)}</Tag>
          {item.message}
        </span>
        <span style={{ display: "block", color: "#595959" }}>{formatLocal(item.created_at)}</span>
      </Button>
    </List.Item>
  );
}

export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [unread, refresh] = useUnreadCount();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Notification[] | null>(null);

  const load = useCallback(() => {
    api.notifications().then(setItems, () => setItems([]));
    refresh();
  }, [refresh]);

  function show() {
    setOpen(true);
    load();
  }

  async function openOne(item: Notification) {
    if (!item.read) await api.markRead(item.id).catch(() => undefined); // the appeal matters more than the mark
    setOpen(false);
    refresh();
    navigate(`/appeals/${item.appeal_id}`);
  }

  async function markAll() {
    await api.markAllRead();
    load();
  }

  return (
    <>
      <Badge count={unread} size="small" offset={[-4, 4]}>
        <Button
          type="text"
          icon={<BellOutlined style={{ color: "#fff", fontSize: 18 }} />}
          aria-label={t("notifications.open", { count: unread })}
          onClick={show}
        />
      </Badge>
      <Drawer
        title={t("notifications.title")}
        open={open}
        onClose={() => setOpen(false)}
        extra={
          <Button size="small" onClick={markAll} disabled={unread === 0}>
            {t("notifications.markAllRead")}
          </Button>
        }
      >
        <List<Notification>
          loading={items === null}
          dataSource={items ?? []}
          locale={{ emptyText: t("notifications.empty") }}
          renderItem={(item) => <NotificationItem item={item} onOpen={openOne} />}
        />
      </Drawer>
    </>
  );
}
