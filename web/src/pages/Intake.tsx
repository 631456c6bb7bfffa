// Intake: take a call and record the appeal (step 1); the API's 422 is shown on the field it names. While the
// operator types, open appeals alike the call are offered beside the form as possible duplicates. The map
// point is two number inputs: no online map tiles may be loaded, and the city has no offline tile set.
import { Button, Card, Col, Form, Input, InputNumber, Radio, Row, Space, Switch } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { ApiError, api, type NewAppeal } from "../api";
import { SimilarAppeals } from "../components/SimilarAppeals";
import { useNames } from "../vocabulary";

const CHANNELS = ["hotline", "message_board", "liaison_station", "grid_visit", "letters_visits", "walk_in", "online"];
const CATEGORIES = ["consultation", "livelihood", "complex"];

/** The form's values without the fields left empty (the API refuses an empty name or phone). */
function filled<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).filter(([, inner]) => inner !== "" && inner !== undefined);
  return Object.fromEntries(entries.map(([key, inner]) => [key, filled(inner)])) as T;
}

export function Intake() {
  const { t } = useTranslation();
  const name = useNames();
  const [form] = Form.useForm();
  const navigate = useNavigate();
  const typed = {
    title: Form.useWatch("title", form),
    address: Form.useWatch(["location", "address"], form),
    phone: Form.useWatch(["reporter", "phone"], form),
    lat: Form.useWatch(["location", "lat"], form),
    lon: Form.useWatch(["location", "lon"], form),
  };

  async function submit(values: NewAppeal) {
    try {
      const appeal = await api.report(filled(values));
      navigate(`/appeals/${appeal.id}`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const fields = Object.entries(error.fields);
      form.setFields(
        fields.length
          ? fields.map(([name, problem]) => ({ name: name.split("."), errors: [problem] }))
          : [{ name: "title", errors: [t("error.generic", { message: error.message })] }],
      );
    }
  }

  const required = [{ required: true, message: t("error.required") }];
  return (
    <Row gutter={24} align="top">
      <Col flex="760px">
        <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t("intake.title")}</h1>}>
          <Form name="intake" form={form} layout="vertical" onFinish={submit} initialValues={{ channel: "hotline", confidential: false }}>
            <Form.Item label={t("intake.channel")} name="channel" rules={required}>
              <Radio.Group options={CHANNELS.map((code) => ({ value: code, label: name("channels", code) }))} />
            </Form.Item>
            <Form.Item label={t("intake.titleField")} name="title" rules={required}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item label={t("intake.description")} name="description" rules={required}>
              <Input.TextArea rows={4} maxLength={4000} />
            </Form.Item>
            <Form.Item label={t("intake.reporterName")} name={["reporter", "name"]}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item label={t("intake.reporterPhone")} name={["reporter", "phone"]}>
              <Input maxLength={32} />
            </Form.Item>
            <Form.Item label={t("intake.address")} name={["location", "address"]}>
              <Input maxLength={400} />
            </Form.Item>
            <Form.Item label={t("callDetails.mapPoint")} extra={t("callDetails.mapPointHelp")}>
              <Space>
                <Form.Item label={t("callDetails.lat")} name={["location", "lat"]}>
                  <InputNumber min={-90} max={90} step={0.0001} style={{ width: 160 }} />
                </Form.Item>
                <Form.Item label={t("callDetails.lon")} name={["location", "lon"]}>
                  <InputNumber min={-180} max={180} step={0.0001} style={{ width: 160 }} />
                </Form.Item>
              </Space>
            </Form.Item>
            <Form.Item label={t("intake.category")} name="category">
              <Radio.Group options={CATEGORIES.map((code) => ({ value: code, label: name("categories", code) }))} />
            </Form.Item>
            <Form.Item
              label={t("callDetails.confidential")}
              name="confidential"
              valuePropName="checked"
              extra={t("callDetails.confidentialHelp")}
            >
              <Switch />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t("intake.submit")}
            </Button>
          </Form>
        </Card>
      </Col>
      <Col flex="360px">
        <SimilarAppeals call={typed} />
      </Col>
    </Row>
  );
}
