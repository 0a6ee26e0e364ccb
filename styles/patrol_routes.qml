<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis styleCategories="Symbology|Labeling|MapTips" version="3.22.16-Białowieża" labelsEnabled="1">
  <renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0" referencescale="-1">
    <symbols>
      <symbol type="line" name="0" alpha="0.9" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option type="QString" name="line_color" value="217,95,2,255"/>
            <Option type="QString" name="line_style" value="solid"/>
            <Option type="QString" name="line_width" value="0.7"/>
            <Option type="QString" name="line_width_unit" value="MM"/>
            <Option type="QString" name="capstyle" value="round"/>
            <Option type="QString" name="joinstyle" value="round"/>
          </Option>
        </layer>
        <layer class="MarkerLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option type="QString" name="interval" value="12"/>
            <Option type="QString" name="interval_unit" value="MM"/>
            <Option type="QString" name="placement" value="interval"/>
            <Option type="QString" name="rotate" value="1"/>
          </Option>
          <symbol type="marker" name="@0@1" alpha="1" clip_to_extent="1" force_rhr="0">
            <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
              <Option type="Map">
                <Option type="QString" name="color" value="217,95,2,255"/>
                <Option type="QString" name="name" value="filled_arrowhead"/>
                <Option type="QString" name="outline_style" value="no"/>
                <Option type="QString" name="size" value="2.4"/>
                <Option type="QString" name="size_unit" value="MM"/>
              </Option>
            </layer>
          </symbol>
        </layer>
      </symbol>
    </symbols>
    <rotation/>
    <sizescale/>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="'Unit ' || &quot;unit&quot;" isExpression="1" fontSize="8" fontWeight="75" textColor="166,54,3,255" fontFamily="Sans Serif" fontSizeUnit="Point" textOpacity="1" namedStyle="Bold">
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="1"/>
      </text-style>
      <placement placement="2" placementFlags="10" priority="5" overrunDistance="0"/>
      <rendering obstacle="1" limitNumLabels="0" displayAll="0" upsidedownLabels="0" scaleVisibility="0" minFeatureSize="0"/>
    </settings>
  </labeling>
  <mapTip>Unit [% "unit" %] from [% "station" %]: [% "stops" %] stops, back at [% "back" %], [% round("travel_minutes") %] min travel</mapTip>
  <layerGeometryType>1</layerGeometryType>
</qgis>
